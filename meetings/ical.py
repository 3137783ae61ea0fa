"""iCalendar (RFC 5545) for single meetings and personal feeds. Times are written in UTC, which
every calendar converts correctly on both sides of a daylight-saving change."""

from datetime import UTC, timedelta

from django.utils import timezone

PRODUCT_ID = "-//SIC Community//Meetings//EN"


def _escape(text: str) -> str:
    return (text or "").replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n") \
        .replace("\n", "\\n")


def _fold(line: str) -> list[str]:
    """Lines longer than 75 octets continue on the next line after a space."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return [line]
    parts, current = [], b""
    for char in line:
        piece = char.encode()
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += piece
    parts.append(current.decode())
    return [parts[0]] + [" " + part for part in parts[1:]]


def _utc(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def meeting_event(meeting, *, url: str, domain: str) -> list[str]:
    description = url
    if meeting.join_url:
        description = f"Join: {meeting.join_url}\n{url}"
    lines = [
        "BEGIN:VEVENT",
        f"UID:meeting-{meeting.pk}@{domain}",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"DTSTART:{_utc(meeting.starts_at)}",
        f"DTEND:{_utc(meeting.ends_at)}",
        f"SUMMARY:{_escape(meeting.title)}",
        f"DESCRIPTION:{_escape(description)}",
        f"URL:{url}",
        f"STATUS:{'CANCELLED' if meeting.is_cancelled else 'CONFIRMED'}",
    ]
    location = meeting.location or meeting.join_url
    if location:
        lines.append(f"LOCATION:{_escape(location)}")
    lines.append("END:VEVENT")
    return lines


def date_event(network_date, *, domain: str) -> list[str]:
    return [
        "BEGIN:VEVENT",
        f"UID:network-date-{network_date.pk}@{domain}",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"DTSTART;VALUE=DATE:{network_date.date.strftime('%Y%m%d')}",
        f"DTEND;VALUE=DATE:{(network_date.date + timedelta(days=1)).strftime('%Y%m%d')}",
        f"SUMMARY:{_escape(network_date.get_kind_display() + ': ' + network_date.title)}",
        f"DESCRIPTION:{_escape(network_date.description)}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def calendar(events: list[list[str]], *, name: str) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODUCT_ID}", "CALSCALE:GREGORIAN",
             f"X-WR-CALNAME:{_escape(name)}"]
    for event in events:
        lines.extend(event)
    lines.append("END:VCALENDAR")
    return "".join(folded + "\r\n" for line in lines for folded in _fold(line))
