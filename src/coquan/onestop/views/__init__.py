"""Pages of the one-stop shop: catalogue, desk, dossiers, public lookup."""
