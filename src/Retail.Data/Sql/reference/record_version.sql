INSERT INTO ops.reference_seeds (version) VALUES ($1) ON CONFLICT (version) DO NOTHING
