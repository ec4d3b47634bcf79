"""Staff accounts: who may sign in to the dashboard, with what role, and what they did."""
