"""The real-time eligibility verification server: X12 270 inquiries in, 271 answers out, over
HTTP with the CAQH CORE connectivity envelope (`emsterm.interfaces.core_envelope`).

`POST /evs` with a multipart/form-data CORE envelope. A good envelope is answered HTTP 200 with a
271 (PayloadType `X12_271_Response_005010X279A1`) or, for an interchange that cannot be read, a
999 (`X12_999_Response_005010X231A1`); an envelope in error is HTTP 400 with its CORE ErrorCode;
another path is 404, another method 405, a body over a megabyte 413, no Content-Length 411. A
fault while answering (the database gone) is a 271 with AAA*Y**42*R in loop 2100A, "unable to
respond at current time": never a traceback, and the server keeps serving.

One thread per connection (keep-alive: a client may send many requests on one connection), one
short database session per request over indexed columns (client number, SSN, member, the
month's determinations). Every subscriber asked about, and every inquiry that could not be read,
is a row of `evs_inquiry`; a writer thread inserts them in batches so that logging never holds
a request up.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import queue
import signal
import threading
import time
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from sqlalchemy import Engine, event, func, insert, select
from sqlalchemy.orm import Session, sessionmaker

from emsterm.database.engine import make_engine
from emsterm.interfaces import core_envelope, evs_x12
from emsterm.interfaces.evs_x12 import Answer, Inquiry, Party, SyntaxProblem
from emsterm.interfaces.x12 import MAX_CONTROL, Envelope
from emsterm.model import EvsInquiry
from emsterm.model.base import table_of, utcnow
from emsterm.model.codes import EvsAnswer
from emsterm.services.eligibility_verification import InquiryPeriod, PlanCache, answer
from emsterm.services.parameters import cycle_parameter

PATH = "/evs"
"""The path inquiries are posted to."""
DEFAULT_PORT = 8270
log = logging.getLogger(__name__)


class InquiryLog:
    """Rows of `evs_inquiry` queued by the request threads and inserted by one writer thread, a
    batch at a time (at most `batch` rows or `interval` seconds apart)."""

    def __init__(self, engine: Engine, batch: int = 200, interval: float = 0.2) -> None:
        self.engine = engine
        self.batch = batch
        self.interval = interval
        self.rows: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.failures = 0
        self._thread = threading.Thread(target=self._write, name="evs-log", daemon=True)
        self._thread.start()

    def add(self, row: dict[str, Any]) -> None:
        """Queue one row."""
        self.rows.put(row)

    def flush(self) -> None:
        """Wait until every row queued so far is written."""
        self.rows.join()

    def close(self) -> None:
        """Write what is queued and stop the writer."""
        self.rows.put(None)
        self._thread.join(timeout=30)

    def _write(self) -> None:
        table = table_of(EvsInquiry)
        stop = False
        while not stop:
            first = self.rows.get()
            pending = [first]
            deadline = time.monotonic() + self.interval
            while first is not None and len(pending) < self.batch:
                try:
                    pending.append(self.rows.get(timeout=max(0.0, deadline - time.monotonic())))
                except queue.Empty:
                    break
                if pending[-1] is None:
                    break
            stop = pending[-1] is None
            rows = [row for row in pending if row is not None]
            if rows:
                try:
                    with self.engine.begin() as connection:
                        connection.execute(insert(table), rows)
                except Exception as err:  # the log must not stop the server: count and say it
                    self.failures += len(rows)
                    log.error("evs: %d inquiry log rows not written: %s", len(rows), str(err).splitlines()[0])
            for _ in pending:
                self.rows.task_done()


class EvsServer(ThreadingHTTPServer):
    """The EVS HTTP server over one database, answering as of one business date."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], database_url: str, business_date: dt.date) -> None:
        self.business_date = business_date
        self.reader = make_engine(database_url, deferred=True, pool_size=8, max_overflow=8)
        if self.reader.dialect.name == "sqlite":
            event.listen(self.reader, "connect", _sqlite_reader)
        self.writer = make_engine(database_url)
        self.sessions: sessionmaker[Session] = sessionmaker(self.reader)
        with self.sessions() as session:
            self.period = InquiryPeriod.on(session, business_date)

            def parameter(name: str) -> str:
                return cycle_parameter(session, "ALL", name, business_date)

            self.sender = parameter("EVS_SENDER")
            self.usage = parameter("EVS_USAGE")
            self.source = Party("PR", parameter("EVS_PAYER_NAME"), "PI", parameter("EVS_PAYER_ID"))
            start = (session.scalar(select(func.max(EvsInquiry.id))) or 0) % MAX_CONTROL + 1
        self.plans = PlanCache()
        self.inquiries = InquiryLog(self.writer)
        self._numbers = itertools.count(start)
        self._number_lock = threading.Lock()
        super().__init__(address, EvsHandler)

    @property
    def url(self) -> str:
        """Where inquiries are posted."""
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}{PATH}"

    def control_number(self) -> int:
        """The next interchange control number of an answer (1 to 999,999,999, then round again)."""
        with self._number_lock:
            return (next(self._numbers) - 1) % MAX_CONTROL + 1

    def envelope(self, receiver: str, group: str, guide: str) -> Envelope:
        """The envelope of an answer to `receiver`."""
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        return Envelope(
            self.sender,
            receiver or "UNKNOWN",
            self.control_number(),
            now,
            self.usage,
            functional_id=group,
            version=guide,
        )

    def close(self) -> None:
        """Stop serving, write the log's last rows, release the databases."""
        self.shutdown()
        self.server_close()
        self.inquiries.close()
        self.reader.dispose()
        self.writer.dispose()


SQLITE_MMAP_BYTES = 4 << 30
"""How much of a SQLite file the readers map into memory (the pages come from the OS's cache
without a read call each; a state-scale file is about 3 GB)."""
SQLITE_CACHE_KIB = 65_536
"""Each reader connection's own page cache (64 MiB: the indexes' upper levels stay in it)."""


def _sqlite_reader(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
    cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    cursor.close()


def _timestamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class EvsHandler(BaseHTTPRequestHandler):
    """One connection: POSTed CORE envelopes answered, anything else refused with its status."""

    protocol_version = "HTTP/1.1"
    server_version = "EMS-EVS/1"
    timeout = 60
    """Seconds a connection may stay silent before it is closed (a keep-alive client that went away)."""
    disable_nagle_algorithm = True
    wbufsize = 65536
    """Headers and body leave in one write (the request loop flushes after each answer): with
    Nagle's algorithm on, a second small write waits for the client's delayed ACK, 40 ms."""
    server: EvsServer

    def log_message(self, format: str, *args: Any) -> None:
        """Requests are logged in `evs_inquiry`, not on standard error."""

    def _send(self, status: HTTPStatus, body: bytes, content_type: str, close: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if status == HTTPStatus.METHOD_NOT_ALLOWED:
            self.send_header("Allow", "POST")
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(body)

    def _plain(self, status: HTTPStatus, message: str, close: bool = False) -> None:
        self._send(status, (message + "\n").encode(), "text/plain; charset=utf-8", close)

    def _refuse_method(self) -> None:
        self._plain(HTTPStatus.METHOD_NOT_ALLOWED, f"{self.command} is not answered: POST a CORE envelope to {PATH}")

    do_GET = do_PUT = do_DELETE = do_PATCH = do_HEAD = _refuse_method

    def do_POST(self) -> None:
        """Answer one envelope; whatever happens, answer something."""
        try:
            self._post()
        except (ConnectionError, TimeoutError):
            self.close_connection = True
        except Exception as err:  # no traceback reaches the provider
            log.error("evs: %s: %s", type(err).__name__, str(err).splitlines()[0] if str(err) else "")
            try:
                self._plain(HTTPStatus.INTERNAL_SERVER_ERROR, "EMS could not answer this request", close=True)
            except OSError:
                self.close_connection = True

    def _post(self) -> None:
        started = time.perf_counter()
        if self.path.split("?", 1)[0] != PATH:
            length = int(self.headers.get("Content-Length") or 0)
            if 0 < length <= core_envelope.MAX_BODY:
                self.rfile.read(length)
            self._plain(
                HTTPStatus.NOT_FOUND,
                f"{self.path} is not here: POST a CORE envelope to {PATH}",
                close=length > core_envelope.MAX_BODY,
            )
            return
        raw_length = self.headers.get("Content-Length")
        if raw_length is None or not raw_length.strip().isdigit():
            self._plain(HTTPStatus.LENGTH_REQUIRED, "send the envelope with a Content-Length", close=True)
            return
        length = int(raw_length)
        if length > core_envelope.MAX_BODY:
            self._plain(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"the envelope is over {core_envelope.MAX_BODY} bytes", close=True
            )
            return
        body = self.rfile.read(length)
        fields: dict[str, str] = {}
        try:
            fields = core_envelope.decode(body, self.headers.get("Content-Type", ""))
            request = core_envelope.check_request(fields)
        except core_envelope.EnvelopeError as err:
            reply = core_envelope.response(fields, core_envelope.RESPONSE_TYPE, "", _timestamp(), err.code, err.message)
            data, content_type = core_envelope.encode(reply)
            self._send(HTTPStatus.BAD_REQUEST, data, content_type)
            return
        payload_type, payload = self._answer(request, started)
        reply = core_envelope.response(fields, payload_type, payload, _timestamp())
        data, content_type = core_envelope.encode(reply)
        self._send(HTTPStatus.OK, data, content_type)

    def _answer(self, request: core_envelope.Request, started: float) -> tuple[str, str]:
        server = self.server
        received = utcnow()
        parsed = evs_x12.parse_270(request.payload)
        base = {"received_at": received, "sender_id": request.sender_id, "payload_id": request.payload_id}
        if isinstance(parsed, SyntaxProblem):
            envelope = server.envelope(parsed.sender or request.sender_id[:15], evs_x12.ACK_GROUP, evs_x12.ACK_GUIDE)
            server.inquiries.add(_row(base, None, EvsAnswer.SYNTAX_ERROR, started))
            return core_envelope.ACK_TYPE, evs_x12.build_999(envelope, parsed)
        answers = self._answers(parsed, base, started)
        envelope = server.envelope(parsed.sender, evs_x12.ANSWER_GROUP, evs_x12.GUIDE)
        if answers is None:
            return core_envelope.RESPONSE_TYPE, evs_x12.build_271(envelope, parsed, server.source, [], unable=True)
        return core_envelope.RESPONSE_TYPE, evs_x12.build_271(envelope, parsed, server.source, answers)

    def _answers(self, inquiry: Inquiry, base: dict[str, Any], started: float) -> list[Answer] | None:
        server = self.server
        answers: list[Answer] = []
        rows: list[dict[str, Any]] = []
        try:
            with server.sessions() as session:
                for subscriber in inquiry.subscribers:
                    result, client, day = answer(session, subscriber, server.business_date, server.period, server.plans)
                    answers.append(result)
                    rows.append(
                        _row(
                            base,
                            result,
                            result.status,
                            started,
                            client_id=client.id if client else None,
                            service_date=day,
                            trace=subscriber.trace,
                        )
                    )
        except Exception as err:  # the database is not answering: AAA 42, and keep serving
            log.error("evs: cannot answer: %s", str(err).splitlines()[0] if str(err) else type(err).__name__)
            return None
        for row in rows:
            server.inquiries.add(row)
        return answers


def _row(
    base: dict[str, Any],
    result: Answer | None,
    status: EvsAnswer,
    started: float,
    *,
    client_id: int | None = None,
    service_date: dt.date | None = None,
    trace: str = "",
) -> dict[str, Any]:
    s = result.subscriber if result is not None else None
    ssn = (s.ssn or "").strip() if s is not None else ""
    return {
        **base,
        "trace_number": trace[:50],
        "member_id": (s.member_id or None) if s is not None else None,
        "last_name": (s.last_name if s is not None else "")[:60],
        "first_name": (s.first_name if s is not None else "")[:35],
        "birth_date": s.birth_date if s is not None else None,
        "ssn_last4": ssn[-4:] if len(ssn) >= 4 else None,
        "service_date": service_date,
        "client_id": client_id,
        "answer": status,
        "reject_reason": result.reject if result is not None else None,
        "benefit_plan": result.benefit_plan if result is not None else None,
        "managed_care_plan": result.managed_care_plan if result is not None else None,
        "elapsed_ms": round((time.perf_counter() - started) * 1000),
    }


def start(
    database_url: str, business_date: dt.date, host: str = "127.0.0.1", port: int = DEFAULT_PORT
) -> tuple[EvsServer, threading.Thread]:
    """A server serving in a thread of this process (port 0: any free port); `close()` stops it."""
    server = EvsServer((host, port), database_url, business_date)
    thread = threading.Thread(target=server.serve_forever, name="evs-server", daemon=True)
    thread.start()
    return server, thread


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def serve(database_url: str, business_date: dt.date, host: str, port: int, ready: Callable[[str], None]) -> None:
    """Serve until interrupted (Ctrl+C or SIGTERM), then write the log's last rows."""
    server = EvsServer((host, port), database_url, business_date)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)  # a service manager's stop is Ctrl+C's: the log is written
    ready(server.url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        server.inquiries.close()
        server.reader.dispose()
        server.writer.dispose()
