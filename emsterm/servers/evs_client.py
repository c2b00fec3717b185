"""The provider's side of the EVS: build a 270 for one member, post it in a CORE envelope and
read the 271 (or 999) that comes back."""

from __future__ import annotations

import datetime as dt
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass

from emsterm.interfaces import core_envelope, evs_x12
from emsterm.interfaces.evs_x12 import Party, Reply, Subscriber, SyntaxProblem
from emsterm.interfaces.x12 import Envelope

DEFAULT_URL = "http://127.0.0.1:8270/evs"
PROVIDER_ID = "EMSQUERY"
"""ISA06 and the CORE SenderID of `ems evs query`."""
PROVIDER_NPI = "1234567893"
"""NM109 of loop 2100B: a well-formed NPI (its Luhn check digit holds) standing for the provider."""
TRACE_ORIGINATOR = "1999999999"
"""TRN03: 1 and a nine-digit tax id (a placeholder)."""


class EvsUnreachable(RuntimeError):
    """The EVS server did not answer (refused, timed out, not HTTP)."""


@dataclass(frozen=True)
class Result:
    """What came back: the HTTP status, the envelope's fields, the replies or the problem."""

    status: int
    fields: dict[str, str]
    replies: list[Reply] | SyntaxProblem | None


def build_inquiry(subscriber: Subscriber, asked: dt.datetime, control: int = 1) -> str:
    """The 270 asking about one subscriber."""
    envelope = Envelope(
        PROVIDER_ID, "CTDSSEMS", control, asked, functional_id=evs_x12.INQUIRY_GROUP, version=evs_x12.GUIDE
    )
    return evs_x12.build_270(
        envelope,
        subscriber.trace,
        Party("PR", "CT DEPARTMENT OF SOCIAL SERVICES", "PI", "CTDSS"),
        Party("1P", "EMS QUERY", "XX", PROVIDER_NPI),
        [subscriber],
    )


def post(
    url: str,
    payload: str,
    *,
    sender: str = PROVIDER_ID,
    timeout: float = 10.0,
    payload_type: str = core_envelope.REQUEST_TYPE,
) -> Result:
    """Post a 270 in a CORE envelope; the answer as read (EvsUnreachable when none came)."""
    fields = {
        "PayloadType": payload_type,
        "ProcessingMode": core_envelope.REAL_TIME,
        "PayloadID": str(uuid.uuid4()),
        "TimeStamp": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "SenderID": sender,
        "ReceiverID": "CTDSSEMS",
        "CORERuleVersion": core_envelope.RULE_VERSION,
        "Payload": payload,
    }
    body, content_type = core_envelope.encode(fields)
    request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, data, kind = response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as err:
        status, data, kind = err.code, err.read(), err.headers.get("Content-Type", "")
    except (urllib.error.URLError, OSError, ValueError) as err:
        reason = getattr(err, "reason", err)
        raise EvsUnreachable(f"no answer from {url}: {reason}") from None
    try:
        answer = core_envelope.decode(data, kind)
    except core_envelope.EnvelopeError:
        return Result(status, {"ErrorMessage": data.decode("utf-8", "replace").strip()}, None)
    payload_back = answer.get("Payload", "")
    return Result(status, answer, evs_x12.parse_271(payload_back) if payload_back else None)
