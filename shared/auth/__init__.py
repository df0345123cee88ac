"""Who is asking: Supabase JWTs verified in-process, and the HubSpot owner a rep is."""
