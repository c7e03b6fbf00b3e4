//! Criterion benchmarks of validation against the floor (placeholder: being written).
fn main() {}
