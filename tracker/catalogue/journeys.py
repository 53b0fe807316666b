"""Text of the journeys part (key -> (Latvian, English))."""

TEXTS: dict[str, tuple[str, str]] = {
}
