"""Check-in and check-out, attendance status, leave and discipline: see the attendance issue."""
