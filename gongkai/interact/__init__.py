"""互动交流: questions from the public, routed to units, answered on a working-day clock,
reviewed and published with their dates and statistics."""
