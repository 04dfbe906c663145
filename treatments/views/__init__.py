"""Treatment views, one module per concept (visits, charts, dashboard, follow-ups...)."""
