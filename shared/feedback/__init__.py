"""What reps do with drafts: why they reject one, and what they send when they accept one."""
