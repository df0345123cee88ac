"""Write what a rep accepted back to HubSpot, exactly once, or say why not."""
