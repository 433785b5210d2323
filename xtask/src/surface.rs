//! Readable API surface of generated code (filled in below).
