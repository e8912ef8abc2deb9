// End-to-end check of the silo's MCP server (/mcp) with the official MCP TypeScript SDK.
//
// Env: MEMSYNC_URL (e.g. http://127.0.0.1:8580), MEMSYNC_KEY_A (write key bound to agent A),
//      MEMSYNC_KEY_B (write key bound to another agent B), MEMSYNC_AGENT_A (agent A's id).
//      Optional: MEMSYNC_RECALL_TIMEOUT_MS (default 15000): how long recall may take to find a fresh memory
//      (the vector index is updated asynchronously).
// On the first failed assertion: "FAIL: <expected, got>" on stderr, exit 1.
// On success: {"ok": true, "tools": [...], "memory_id": "..."} on stdout, exit 0.
import { randomBytes } from "node:crypto";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const EXPECTED_TOOLS = ["forget", "get_memory", "memory_history", "recall", "remember"];
const BAD_KEY = "msk_nope_nope";

const openClients = [];

class CheckFailure extends Error {}

function fail(message) {
  throw new CheckFailure(message);
}

function show(value) {
  if (value === undefined) return "undefined";
  try {
    const s = JSON.stringify(value);
    return s.length > 600 ? s.slice(0, 600) + "…" : s;
  } catch {
    return String(value);
  }
}

function describeError(e) {
  if (!e) return String(e);
  const code = e.code !== undefined ? ` (code ${e.code})` : "";
  return `${e.name ?? "Error"}${code}: ${e.message}`;
}

function requireEnv(name) {
  const v = process.env[name];
  if (!v) fail(`expected env ${name} to be set, got ${show(v)}`);
  return v;
}

function mcpUrl(base) {
  return new URL(base.replace(/\/+$/, "") + "/mcp");
}

async function connect(base, key, label) {
  const client = new Client({ name: `memsync-mcp-check-${label}`, version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(mcpUrl(base), {
    requestInit: { headers: { Authorization: `Bearer ${key}` } },
  });
  openClients.push(client);
  await client.connect(transport);
  return client;
}

function textOf(result) {
  return (result?.content ?? [])
    .filter((c) => c && c.type === "text")
    .map((c) => c.text)
    .join("\n");
}

// Calls a tool; a thrown error (JSON-RPC error, transport error, output-schema mismatch) is a failure:
// the contract says refused calls are tool results with isError: true.
async function call(client, label, name, args) {
  try {
    return await client.callTool({ name, arguments: args });
  } catch (e) {
    fail(`expected ${label}: ${name} ${show(args)} to return a tool result, got a thrown ${describeError(e)}`);
  }
}

async function callOk(client, label, name, args) {
  const result = await call(client, label, name, args);
  if (result.isError) {
    fail(`expected ${label}: ${name} ${show(args)} to succeed, got isError with text ${show(textOf(result))}`);
  }
  const sc = result.structuredContent;
  if (!sc || typeof sc !== "object") {
    fail(`expected ${label}: ${name} to return structuredContent, got ${show(result)}`);
  }
  return sc;
}

async function callNotFound(client, label, name, args) {
  const result = await call(client, label, name, args);
  const text = textOf(result);
  if (result.isError !== true) {
    fail(`expected ${label}: ${name} ${show(args)} to be isError (not found), got ${show(result)}`);
  }
  if (!text.toLowerCase().includes("not found")) {
    fail(`expected ${label}: ${name} ${show(args)} error text to contain "not found", got ${show(text)}`);
  }
  return result;
}

function expectEq(what, actual, expected) {
  if (actual !== expected) fail(`expected ${what} == ${show(expected)}, got ${show(actual)}`);
}

function resultIds(sc, label) {
  if (!Array.isArray(sc.results)) fail(`expected ${label}: recall structuredContent.results to be an array, got ${show(sc)}`);
  return sc.results.map((r) => r?.memory_id);
}

async function main() {
  const base = requireEnv("MEMSYNC_URL");
  const keyA = requireEnv("MEMSYNC_KEY_A");
  const keyB = requireEnv("MEMSYNC_KEY_B");
  const agentA = requireEnv("MEMSYNC_AGENT_A");
  const recallTimeoutMs = Number(process.env.MEMSYNC_RECALL_TIMEOUT_MS ?? 15000);

  // 1. Key A: connect and list the tools.
  let a;
  try {
    a = await connect(base, keyA, "a");
  } catch (e) {
    fail(`expected to connect to ${mcpUrl(base)} with key A, got ${describeError(e)}`);
  }
  let listed;
  try {
    listed = await a.listTools();
  } catch (e) {
    fail(`expected listTools with key A to answer, got ${describeError(e)}`);
  }
  const tools = listed.tools ?? [];
  const names = tools.map((t) => t.name).sort();
  if (show(names) !== show(EXPECTED_TOOLS)) {
    fail(`expected exactly the tools ${show(EXPECTED_TOOLS)}, got ${show(names)}`);
  }
  const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
  for (const t of tools) {
    if (typeof t.description !== "string" || t.description.trim() === "") {
      fail(`expected tool ${t.name} to have a non-empty description, got ${show(t.description)}`);
    }
    if (!t.inputSchema || typeof t.inputSchema !== "object") {
      fail(`expected tool ${t.name} to have an inputSchema, got ${show(t.inputSchema)}`);
    }
  }
  const hint = (tool, h) => byName[tool].annotations?.[h];
  for (const tool of ["recall", "get_memory", "memory_history"]) {
    if (hint(tool, "readOnlyHint") !== true) {
      fail(`expected ${tool} annotations.readOnlyHint true, got annotations ${show(byName[tool].annotations)}`);
    }
  }
  if (hint("forget", "destructiveHint") !== true || hint("forget", "idempotentHint") !== true) {
    fail(`expected forget annotations destructiveHint true and idempotentHint true, got ${show(byName.forget.annotations)}`);
  }
  // readOnlyHint defaults to false in MCP, so an absent hint means "not read-only" too.
  if ((hint("remember", "readOnlyHint") ?? false) !== false) {
    fail(`expected remember annotations.readOnlyHint false, got ${show(byName.remember.annotations)}`);
  }

  // 2. remember (generated id).
  const token = randomBytes(8).toString("hex");
  const content1 = `MCP check ${token}: the lighthouse keeper paints the stairs teal every spring`;
  const content2 = `MCP check ${token}: the lighthouse keeper now paints the stairs ochre every autumn`;
  const m1 = await callOk(a, "key A", "remember", { content: content1, memory_type: "semantic", importance: 0.7 });
  const memoryId = m1.memory_id;
  if (typeof memoryId !== "string" || memoryId === "") {
    fail(`expected remember to generate a memory_id, got ${show(m1)}`);
  }
  expectEq("remember.agent_id", m1.agent_id, agentA);
  expectEq("remember.version", m1.version, 1);
  expectEq("remember.content", m1.content, content1);
  expectEq("remember.memory_type", m1.memory_type, "semantic");
  if (typeof m1.importance !== "number" || Math.abs(m1.importance - 0.7) > 1e-6) {
    fail(`expected remember.importance == 0.7, got ${show(m1.importance)}`);
  }

  // 3. remember again on the same id: version 2.
  const m2 = await callOk(a, "key A", "remember", { memory_id: memoryId, content: content2 });
  expectEq("second remember.memory_id", m2.memory_id, memoryId);
  expectEq("second remember.version", m2.version, 2);
  expectEq("second remember.content", m2.content, content2);

  // 4. get_memory.
  const g = await callOk(a, "key A", "get_memory", { memory_id: memoryId });
  expectEq("get_memory.memory_id", g.memory_id, memoryId);
  expectEq("get_memory.content", g.content, content2);
  expectEq("get_memory.version", g.version, 2);

  // 5. memory_history: two versions, oldest first.
  const h = await callOk(a, "key A", "memory_history", { memory_id: memoryId });
  if (!Array.isArray(h.versions) || h.versions.length !== 2) {
    fail(`expected memory_history.versions to have 2 entries, got ${show(h)}`);
  }
  expectEq("memory_history.versions[0].version", h.versions[0]?.version, 1);
  expectEq("memory_history.versions[1].version", h.versions[1]?.version, 2);
  expectEq("memory_history.versions[0].content", h.versions[0]?.content, content1);
  expectEq("memory_history.versions[1].content", h.versions[1]?.content, content2);

  // 6. recall finds it (polling: the vector index catches up asynchronously).
  const deadline = Date.now() + recallTimeoutMs;
  let lastIds = [];
  for (;;) {
    const r = await callOk(a, "key A", "recall", { query: content2, k: 5 });
    lastIds = resultIds(r, "key A");
    if (lastIds.includes(memoryId)) break;
    if (Date.now() >= deadline) {
      fail(`expected key A recall {query, k: 5} results to contain ${memoryId} within ${recallTimeoutMs} ms, got ${show(lastIds)}`);
    }
    await new Promise((res) => setTimeout(res, 250));
  }

  // 7. Key B: the memory is invisible and untouchable.
  let b;
  try {
    b = await connect(base, keyB, "b");
  } catch (e) {
    fail(`expected to connect with key B, got ${describeError(e)}`);
  }
  await callNotFound(b, "key B", "get_memory", { memory_id: memoryId });
  await callNotFound(b, "key B", "forget", { memory_id: memoryId });
  const rb = await callOk(b, "key B", "recall", { query: content2, k: 10 });
  const idsB = resultIds(rb, "key B");
  if (idsB.includes(memoryId)) {
    fail(`expected key B recall results not to contain agent A's ${memoryId}, got ${show(idsB)}`);
  }

  // 8. Key A: B's forget changed nothing.
  const g2 = await callOk(a, "key A", "get_memory", { memory_id: memoryId });
  expectEq("get_memory.version after key B's forget", g2.version, 2);
  expectEq("get_memory.content after key B's forget", g2.content, content2);

  // 9. Key A forgets it.
  const f = await callOk(a, "key A", "forget", { memory_id: memoryId });
  expectEq("forget.deleted", f.deleted, true);
  await callNotFound(a, "key A (after forget)", "get_memory", { memory_id: memoryId });

  // 10. A bad key is refused with 401.
  let badError;
  try {
    const bad = await connect(base, BAD_KEY, "bad");
    await bad.listTools();
  } catch (e) {
    badError = e;
  }
  if (!badError) fail(`expected connecting with key ${BAD_KEY} to fail with 401, got a working connection`);
  if (badError.code !== 401 && !String(badError.message).includes("401")) {
    fail(`expected the bad-key error to mention 401, got ${describeError(badError)}`);
  }

  return { ok: true, tools: names, memory_id: memoryId };
}

async function closeAll() {
  const timeout = new Promise((res) => setTimeout(res, 2000).unref());
  await Promise.race([Promise.allSettled(openClients.map((c) => c.close())), timeout]);
}

try {
  const summary = await main();
  await closeAll();
  process.stdout.write(JSON.stringify(summary) + "\n");
  process.exit(0);
} catch (e) {
  const message = e instanceof CheckFailure ? e.message : `unexpected ${describeError(e)}\n${e?.stack ?? ""}`;
  process.stderr.write(`FAIL: ${message}\n`);
  await closeAll();
  process.exit(1);
}
