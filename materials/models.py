"""Speech texts and readings as course materials: see the materials issue."""
