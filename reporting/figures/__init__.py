"""The dashboards' figures, one module per dashboard; each reads other apps' querysets."""
