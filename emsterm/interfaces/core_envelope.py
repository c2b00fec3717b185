"""The CAQH CORE connectivity envelope (Phase II CORE 270 rule, HTTP MIME multipart): a real-time
270 is an HTTP POST whose body is multipart/form-data with the fields PayloadType
(`X12_270_Request_005010X279A1`), ProcessingMode (`RealTime`), PayloadID (unique per request),
TimeStamp (ISO 8601), SenderID, ReceiverID, CORERuleVersion and Payload (the X12 text). The
answer has the same fields (PayloadType `X12_271_Response_005010X279A1`, or
`X12_999_Response_005010X231A1` for an inquiry that could not be read) and ErrorCode
(`Success`) with ErrorMessage. An envelope in error is answered with HTTP 400 and ErrorCode
`<Field>Required` (missing or empty), `<Field>Illegal` (a value EMS does not take) or
`VersionMismatch` (another CORERuleVersion). Pure: bytes in, fields out and back.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass

REQUEST_TYPE = "X12_270_Request_005010X279A1"
RESPONSE_TYPE = "X12_271_Response_005010X279A1"
ACK_TYPE = "X12_999_Response_005010X231A1"
REAL_TIME = "RealTime"
RULE_VERSION = "2.2.0"
"""The CORE connectivity rule version EMS speaks."""
SUCCESS = "Success"
REQUEST_FIELDS = (
    "PayloadType",
    "ProcessingMode",
    "PayloadID",
    "TimeStamp",
    "SenderID",
    "ReceiverID",
    "CORERuleVersion",
    "Payload",
)
"""The fields of a request, in the rule's order."""
MAX_BODY = 1_000_000
"""The largest request body EMS reads (bytes)."""


class EnvelopeError(ValueError):
    """An envelope EMS cannot take: its CORE ErrorCode and the message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Request:
    """A real-time request's envelope."""

    payload_id: str
    timestamp: str
    sender_id: str
    receiver_id: str
    payload: str


def boundary_of(content_type: str) -> str:
    """The multipart boundary of a Content-Type header (EnvelopeError when it is not multipart)."""
    kind, _, rest = content_type.partition(";")
    if kind.strip().lower() != "multipart/form-data":
        raise EnvelopeError("PayloadIllegal", f"Content-Type {kind.strip() or '(none)'!r}: send multipart/form-data")
    for parameter in rest.split(";"):
        name, _, value = parameter.strip().partition("=")
        if name.lower() == "boundary" and value.strip('"'):
            return value.strip('"')
    raise EnvelopeError("PayloadIllegal", "the multipart Content-Type names no boundary")


def decode(body: bytes, content_type: str) -> dict[str, str]:
    """The form fields of a multipart/form-data body (EnvelopeError when it cannot be read)."""
    delimiter = b"--" + boundary_of(content_type).encode("latin-1")
    fields: dict[str, str] = {}
    parts = body.split(delimiter)
    if len(parts) < 3:
        raise EnvelopeError("PayloadIllegal", "the body is not a multipart form (no parts between boundaries)")
    for part in parts[1:]:
        if part.startswith(b"--"):
            break
        head, separator, content = part.partition(b"\r\n\r\n")
        if not separator:
            raise EnvelopeError("PayloadIllegal", "a multipart part has no blank line after its headers")
        name = _field_name(head.decode("latin-1"))
        if name is None:
            raise EnvelopeError("PayloadIllegal", "a multipart part has no form-data name")
        if content.endswith(b"\r\n"):
            content = content[:-2]
        try:
            fields[name] = content.decode("utf-8")
        except UnicodeDecodeError:
            raise EnvelopeError(f"{name}Illegal", f"{name} is not UTF-8 text") from None
    return fields


def _field_name(head: str) -> str | None:
    for line in head.split("\r\n"):
        key, _, value = line.partition(":")
        if key.strip().lower() != "content-disposition":
            continue
        for parameter in value.split(";"):
            name, _, quoted = parameter.strip().partition("=")
            if name.lower() == "name":
                return quoted.strip().strip('"')
    return None


def encode(fields: Mapping[str, str], boundary: str | None = None) -> tuple[bytes, str]:
    """A multipart/form-data body of the fields, and its Content-Type."""
    mark = boundary or f"EMS-{uuid.uuid4().hex}"
    chunks: list[bytes] = []
    for name, value in fields.items():
        chunks.append(
            f'--{mark}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode() + value.encode() + b"\r\n"
        )
    chunks.append(f"--{mark}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={mark}"


def check_request(fields: Mapping[str, str]) -> Request:
    """The request of a real-time 270 envelope, or EnvelopeError naming the field in error."""
    for name in REQUEST_FIELDS:
        if not fields.get(name, "").strip():
            raise EnvelopeError(f"{name}Required", f"the envelope has no {name}")
    if fields["PayloadType"] != REQUEST_TYPE:
        raise EnvelopeError("PayloadTypeIllegal", f"PayloadType {fields['PayloadType']!r}: EMS answers {REQUEST_TYPE}")
    if fields["ProcessingMode"] != REAL_TIME:
        raise EnvelopeError(
            "ProcessingModeIllegal", f"ProcessingMode {fields['ProcessingMode']!r}: EMS answers {REAL_TIME}"
        )
    if fields["CORERuleVersion"] != RULE_VERSION:
        raise EnvelopeError(
            "VersionMismatch", f"CORERuleVersion {fields['CORERuleVersion']!r}: EMS speaks {RULE_VERSION}"
        )
    return Request(
        fields["PayloadID"][:50],
        fields["TimeStamp"],
        fields["SenderID"][:50],
        fields["ReceiverID"][:50],
        fields["Payload"],
    )


def response(
    request_fields: Mapping[str, str],
    payload_type: str,
    payload: str,
    timestamp: str,
    error_code: str = SUCCESS,
    error_message: str = "",
) -> dict[str, str]:
    """The fields of an answer: the request's PayloadID, sender and receiver swapped."""
    return {
        "PayloadType": payload_type,
        "ProcessingMode": REAL_TIME,
        "PayloadID": request_fields.get("PayloadID", "")[:50],
        "TimeStamp": timestamp,
        "SenderID": request_fields.get("ReceiverID", "")[:50],
        "ReceiverID": request_fields.get("SenderID", "")[:50],
        "CORERuleVersion": RULE_VERSION,
        "Payload": payload,
        "ErrorCode": error_code,
        "ErrorMessage": error_message,
    }
