//! Rebuilds the binary when the embedded default theme gains, loses or changes a file.
fn main() {
    println!("cargo:rerun-if-changed=themes/default");
}
