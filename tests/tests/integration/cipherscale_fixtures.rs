//! (filled in by the cipherscale_fixtures work)
