"""Built-in rules, grouped by theme; each module registers its rules through the plugin hook."""
