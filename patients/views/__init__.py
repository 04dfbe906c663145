"""Pages of the patients app, one module per concept; every view declares its access policy."""
