//! (filled in by the harmony_fixtures work)
