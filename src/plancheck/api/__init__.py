"""What every stage shares and may import: the plugin contract (hooks, Rule, Finding, FileResult,
Place, InputError), the data loader, the message catalogue and the plan vocabulary. It imports no
stage."""
