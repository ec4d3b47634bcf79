"""Domain services: campaigns, progress and the urgency stage, gifts."""
