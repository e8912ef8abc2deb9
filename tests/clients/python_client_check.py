"""Drives the Python client (examples/python/memsync_client.py) against a running silo's HTTP v1 API.

Environment: MEMSYNC_URL, MEMSYNC_AGENT_A, MEMSYNC_KEY_A (a write key of agent A), MEMSYNC_KEY_B (a write key of
another agent), MEMSYNC_READ_KEY_A (a read-only key of agent A). Prints {"ok": true, "checked": N} and exits 0 when
every check holds; otherwise prints "FAIL: ..." to stderr and exits 1.
"""

from __future__ import annotations

import json
import os
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent / "examples" / "python"))

from memsync_client import (  # noqa: E402
    Forbidden,
    MemorySyncClient,
    MemorySyncError,
    NotFound,
    PreconditionFailed,
    Unauthorized,
)

SEARCH_WAIT_SECONDS = 15.0
checked = 0


def fail(message: str) -> NoReturn:
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def check(step: str, condition: bool, expected: str, got: Any) -> None:
    global checked
    if not condition:
        fail(f"{step}: expected {expected}, got {got!r}")
    checked += 1


def refused(step: str, kind: type[MemorySyncError], status: int, call: Callable[[], Any]) -> MemorySyncError:
    """The call must raise `kind` with `status`; returns the error."""
    try:
        answer = call()
    except MemorySyncError as error:
        check(step, type(error) is kind and error.status == status,
              f"{kind.__name__} with status {status}", f"{type(error).__name__}: {error}")
        return error
    fail(f"{step}: expected {kind.__name__} with status {status}, got an answer: {answer!r}")


def env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        fail(f"environment variable {name} is not set")
    return value


def main() -> None:
    url, agent_a = env("MEMSYNC_URL"), env("MEMSYNC_AGENT_A")
    a = MemorySyncClient(url, env("MEMSYNC_KEY_A"))
    b = MemorySyncClient(url, env("MEMSYNC_KEY_B"))
    reader = MemorySyncClient(url, env("MEMSYNC_READ_KEY_A"))

    memory_id = f"pyclient-{uuid.uuid4()}"
    first = f"python client check {memory_id}: the first version"
    second = f"python client check {memory_id}: the user prefers short answers"

    memory = a.put(memory_id, first, agent_id=agent_a, memory_type="semantic", importance=0.8,
                   metadata={"source": "python_client_check"})
    check("put", memory.get("version") == 1, "version 1", memory.get("version"))
    check("put", memory.get("agent_id") == agent_a, f"agent_id {agent_a!r}", memory.get("agent_id"))
    check("put", memory.get("memory_id") == memory_id and memory.get("content") == first,
          f"memory_id {memory_id!r} with its content", memory)

    memory = a.put(memory_id, second, if_match=1)
    check("put with if_match=1", memory.get("version") == 2, "version 2", memory.get("version"))

    error = refused("stale put with if_match=1", PreconditionFailed, 412,
                    lambda: a.put(memory_id, "a stale write", if_match=1))
    check("412 message", str(error).startswith("412 "), 'str(error) starting "412 "', str(error))

    memory = a.get(memory_id)
    check("get", memory.get("version") == 2 and memory.get("content") == second,
          "version 2 with the second content (the refused write stored nothing)", memory)

    history = a.history(memory_id)
    check("history", isinstance(history, list) and [entry.get("version") for entry in history] == [1, 2],
          "2 entries, versions [1, 2]", history)

    deadline = time.monotonic() + SEARCH_WAIT_SECONDS
    while True:  # the index may take a moment to hold the write
        ids = [hit.get("memory_id") for hit in a.search(text=second, k=5)]
        if memory_id in ids or time.monotonic() > deadline:
            break
        time.sleep(0.25)
    check("search", memory_id in ids, f"{memory_id!r} among the results", ids)

    good_ids = [f"{memory_id}-batch-{i}" for i in range(3)]
    bad_id = f"{memory_id}-batch-bad"
    items: list[dict[str, Any]] = [
        {"memory_id": item_id, "content": f"batch item {i} of {memory_id}", "agent_id": agent_a}
        for i, item_id in enumerate(good_ids)
    ]
    items.append({"memory_id": bad_id, "content": "an importance out of range", "agent_id": agent_a, "importance": 7})
    result = a.batch(items)
    check("batch", result.get("synced") == 3 and result.get("failed") == 1, "synced 3, failed 1", result)
    errors = result.get("errors") or []
    check("batch errors", len(errors) == 1 and errors[0].get("memory_id") == bad_id
          and "importance" in json.dumps(errors[0].get("error")).lower(),
          f"one error for {bad_id!r} naming importance", errors)
    refused("get the refused batch item", NotFound, 404, lambda: a.get(bad_id))

    refused("get as agent B", NotFound, 404, lambda: b.get(memory_id))
    refused("delete as agent B", NotFound, 404, lambda: b.delete(memory_id))
    refused("put with the read-only key", Forbidden, 403, lambda: reader.put(memory_id, "not allowed"))

    error = refused("put with importance 'high'", MemorySyncError, 400,
                    lambda: a.put(memory_id, second, importance="high"))  # type: ignore[arg-type]
    check("400 field", "importance" in (error.field or ""), "field naming importance", error.field)

    memory = a.get(memory_id)
    check("get after the refused calls", memory.get("version") == 2 and not memory.get("deleted"),
          "version 2, not deleted", memory)

    tombstone = a.delete(memory_id)
    check("delete", tombstone.get("deleted") is True, "deleted true", tombstone)
    refused("get after delete", NotFound, 404, lambda: a.get(memory_id))

    for item_id in good_ids:  # leave nothing behind
        tombstone = a.delete(item_id)
        check("delete a batch item", tombstone.get("deleted") is True, "deleted true", tombstone)

    refused("a bad key", Unauthorized, 401, lambda: MemorySyncClient(url, "msk_bad_bad").get(memory_id))

    print(json.dumps({"ok": True, "checked": checked}))


if __name__ == "__main__":
    try:
        main()
    except MemorySyncError as error:
        fail(f"unexpected {type(error).__name__}: {error}")
