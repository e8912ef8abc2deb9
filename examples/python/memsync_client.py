"""A small MemorySync HTTP v1 client: Python 3.11 standard library only, nothing to install.

The routes, fields and errors are those of docs/agent-api.md. Usage::

    from memsync_client import MemorySyncClient, NotFound, PreconditionFailed

    client = MemorySyncClient("http://localhost:8580", "msk_k3f9c2a81d04e_...")
    memory = client.put("note-1", "The user prefers short answers.", importance=0.8)
    try:
        client.put("note-1", "The user prefers bullet points.", if_match=memory["version"])
    except PreconditionFailed as error:  # someone else wrote first: nothing was stored
        print(error)                      # 412 Precondition Failed: ...
    hits = client.search("how should answers look?", k=5)
    print([hit["memory_id"] for hit in hits], client.history("note-1"))

Every non-2xx answer raises MemorySyncError (or the subclass of its status); a connection failure raises
MemorySyncError with status 0.
"""

from __future__ import annotations

import email.utils
import http.client
import json
import math
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from http import HTTPStatus
from typing import Any

__all__ = [
    "MemorySyncClient",
    "MemorySyncError",
    "NotFound",
    "Unauthorized",
    "Forbidden",
    "Conflict",
    "PreconditionFailed",
    "RateLimited",
    "Unavailable",
]


class MemorySyncError(Exception):
    """A refused or failed call. status is the HTTP status (0 when the silo could not be reached)."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str | None = None,
        *,
        field: str | None = None,
        problem: dict[str, Any] | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.status = status
        self.title = title
        self.detail = detail
        self.field = field
        self.problem = problem
        self.retry_after = retry_after
        super().__init__(str(self))

    def __str__(self) -> str:
        text = f"{self.status} {self.title}" if self.status else self.title
        if self.field:
            text += f" ({self.field})"
        return f"{text}: {self.detail}" if self.detail else text


class NotFound(MemorySyncError):
    """404: no such memory, or another agent's memory."""


class Unauthorized(MemorySyncError):
    """401: no key, or an unknown, revoked or expired key."""


class Forbidden(MemorySyncError):
    """403: the key's scope or agents do not allow the call."""


class Conflict(MemorySyncError):
    """409: the id is another agent's, the base_version no longer holds, or there is no conflict to resolve."""


class PreconditionFailed(MemorySyncError):
    """412: the memory has moved on since the If-Match version."""


class RateLimited(MemorySyncError):
    """429: the key's rate limit; retry_after says when to come back."""


class Unavailable(MemorySyncError):
    """503: PostgreSQL did not answer; nothing was stored."""


_ERRORS: dict[int, type[MemorySyncError]] = {
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    412: PreconditionFailed,
    429: RateLimited,
    503: Unavailable,
}


class MemorySyncClient:
    """A client of one silo's /v1 routes, with one API key."""

    def __init__(self, base_url: str, api_key: str, timeout: float = 30) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._api_key = api_key

    def __repr__(self) -> str:  # never shows the key
        return f"MemorySyncClient({self.base_url!r})"

    def put(
        self,
        memory_id: str,
        content: str,
        *,
        memory_type: str | None = None,
        importance: float | None = None,
        metadata: Mapping[str, Any] | None = None,
        embedding: Iterable[float] | None = None,
        agent_id: str | None = None,
        base_version: int | None = None,
        if_match: int | None = None,
        strategy: str | None = None,
        mode: str | None = None,
    ) -> dict[str, Any]:
        """Write a memory (PUT /v1/memories/{id}); returns the stored memory document."""
        body = _without_none(
            content=content,
            memory_type=memory_type,
            importance=importance,
            metadata=dict(metadata) if metadata is not None else None,
            embedding=list(embedding) if embedding is not None else None,
            agent_id=agent_id,
            base_version=base_version,
            strategy=strategy,
            mode=mode,
        )
        headers = {"If-Match": f'"{if_match}"'} if if_match is not None else None
        return self._request("PUT", _memory_path(memory_id), body, headers)

    def get(self, memory_id: str) -> dict[str, Any]:
        """Read a memory (GET /v1/memories/{id})."""
        return self._request("GET", _memory_path(memory_id))

    def delete(self, memory_id: str) -> dict[str, Any]:
        """Delete a memory (DELETE /v1/memories/{id}); returns the tombstone version."""
        return self._request("DELETE", _memory_path(memory_id))

    def history(self, memory_id: str) -> list[dict[str, Any]]:
        """Every version of a memory, oldest first (GET /v1/memories/{id}/history)."""
        return self._request("GET", _memory_path(memory_id) + "/history")

    def search(
        self,
        text: str | None = None,
        *,
        embedding: Iterable[float] | None = None,
        k: int = 10,
        memory_types: Iterable[str] | None = None,
        agent_id: str | None = None,
    ) -> list[dict[str, Any]]:
        """Nearest memories to a text or an embedding (POST /v1/search): [{memory_id, score, content}]."""
        if isinstance(memory_types, str):
            memory_types = [memory_types]
        body = _without_none(
            text=text,
            embedding=list(embedding) if embedding is not None else None,
            k=k,
            memory_types=list(memory_types) if memory_types is not None else None,
            agent_id=agent_id,
        )
        return self._request("POST", "/v1/search", body)

    def batch(self, memories: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
        """Write many memories (POST /v1/memories/batch): {synced, failed, errors: [{memory_id, error}]}.

        Each item is a dict with memory_id, content and any field of put (memory_type, importance, ...).
        """
        return self._request("POST", "/v1/memories/batch", {"memories": [dict(item) for item in memories]})

    def _request(
        self,
        method: str,
        path: str,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        url = self.base_url + path
        request = urllib.request.Request(url, method=method)
        request.add_header("Authorization", f"Bearer {self._api_key}")
        request.add_header("Accept", "application/json, application/problem+json")
        request.add_header("User-Agent", "memsync-python-client/1")
        if body is not None:
            request.data = json.dumps(body, allow_nan=False).encode("utf-8")
            request.add_header("Content-Type", "application/json")
        for name, value in (headers or {}).items():
            request.add_header(name, value)

        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                status = response.status
                payload = response.read()
        except urllib.error.HTTPError as error:
            with error:
                raise _error_from(error.code, error.headers, error.read()) from None
        except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
            reason = getattr(error, "reason", None) or error
            raise MemorySyncError(0, "Connection failed", f"could not reach {self.base_url}: {reason}") from error

        if not 200 <= status < 300:  # a redirect urllib did not follow, say
            raise _error_from(status, None, payload)
        if not payload:
            return None
        try:
            return json.loads(payload)
        except ValueError:
            raise MemorySyncError(status, "Invalid response", f"{method} {path} answered a body that is not JSON") from None


def _memory_path(memory_id: str) -> str:
    return "/v1/memories/" + urllib.parse.quote(memory_id, safe="")


def _without_none(**fields: Any) -> dict[str, Any]:
    return {name: value for name, value in fields.items() if value is not None}


def _error_from(status: int, headers: Any, payload: bytes) -> MemorySyncError:
    try:
        parsed = json.loads(payload) if payload else None
    except ValueError:
        parsed = None
    problem = parsed if isinstance(parsed, dict) else None

    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "HTTP error"
    title = _text(problem.get("title")) if problem else None
    detail = _text(problem.get("detail")) if problem else None
    field = _text(problem.get("field")) if problem else None
    if problem is None and payload:
        detail = payload.decode("utf-8", "replace").strip()[:500] or None

    retry_after = _retry_after(headers.get("Retry-After") if headers is not None else None)
    kind = _ERRORS.get(status, MemorySyncError)
    return kind(status, title or phrase, detail, field=field, problem=problem, retry_after=retry_after)


def _text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        seconds = (when - datetime.now(timezone.utc)).total_seconds()
    return max(0.0, seconds) if math.isfinite(seconds) else None
