"""Output documents: Jinja2 templates over the view, locked-down TeX, incremental builds."""
