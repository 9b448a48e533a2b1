#!/usr/bin/env bash
# Installs a released versus binary, the logic of the GitHub Action in action.yml.
#
# It picks the release archive for this machine's OS and architecture, downloads it with its
# `.sha256` file, verifies the checksum, unpacks the binary into $VERSUS_INSTALL_DIR/bin, checks
# that `versus --version` prints the version asked for and, in a GitHub Actions job, adds that
# folder to PATH. Where no binary fits (an OS or architecture without a release binary, a
# release without one for this platform, a binary that does not run here) it falls back to
# `cargo install --locked --git <repository> --tag v<version>`. A checksum that does not match
# is an error, never a reason to fall back.
#
# Environment (the action sets all of them):
#   VERSUS_VERSION      the version to install, `0.1.0` or `v0.1.0`; when empty, the action's
#                       own ref (VERSUS_ACTION_REF) if it is a version tag.
#   VERSUS_ACTION_REF   the ref the action is used at (`v0.1.0` in `<owner>/versus@v0.1.0`).
#   VERSUS_REPOSITORY   `<owner>/<name>` of the versus repository on GitHub; when empty, read
#                       from the action's checkout path (GITHUB_ACTION_PATH, which ends in
#                       `_actions/<owner>/<name>/<ref>`).
#   VERSUS_SERVER       GitHub's address (default https://github.com).
#   VERSUS_RELEASES     where releases are downloaded from (default
#                       $VERSUS_SERVER/$VERSUS_REPOSITORY/releases/download); each release is
#                       the folder `v<version>/` holding `versus-v<version>-<target>.tar.gz`
#                       (`.zip` on Windows) and `<archive>.sha256`, as release.yml publishes.
#   VERSUS_GIT          the git URL `cargo install` falls back to (default
#                       $VERSUS_SERVER/$VERSUS_REPOSITORY).
#   VERSUS_INSTALL_DIR  where to install (binary in its bin/; default $RUNNER_TEMP/versus).
#   VERSUS_TARGET       the release target to fetch, instead of detecting it from `uname`.
set -euo pipefail

fail() {
  echo "::error title=versus install::$*" >&2
  exit 1
}
note() { echo "versus install: $*"; }

# The release target (Rust target triple) for this machine, or nothing when there is none.
detect_target() {
  local os arch
  os=$(uname -s)
  arch=$(uname -m)
  case "$os/$arch" in
  Linux/x86_64 | Linux/amd64) echo x86_64-unknown-linux-gnu ;;
  Linux/aarch64 | Linux/arm64) echo aarch64-unknown-linux-gnu ;;
  Darwin/arm64 | Darwin/aarch64) echo aarch64-apple-darwin ;;
  Darwin/x86_64) echo x86_64-apple-darwin ;;
  MINGW*/x86_64 | MSYS*/x86_64 | CYGWIN*/x86_64 | Windows_NT/x86_64) echo x86_64-pc-windows-msvc ;;
  *) echo "" ;;
  esac
}

# `<owner>/<name>` from the action's checkout path, or nothing.
repository_from_action_path() {
  local path=${GITHUB_ACTION_PATH:-}
  path=${path//\\//}
  if [[ $path =~ _actions/([^/]+)/([^/]+)/[^/]+/?$ ]]; then
    echo "${BASH_REMATCH[1]}/${BASH_REMATCH[2]}"
  fi
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d ' ' -f 1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d ' ' -f 1
  else
    fail "neither sha256sum nor shasum is installed, so the download cannot be verified"
  fi
}

unpack() {
  local archive=$1 into=$2
  case "$archive" in
  *.tar.gz) tar -xzf "$archive" -C "$into" ;;
  *.zip)
    if command -v unzip >/dev/null 2>&1; then
      unzip -q -o "$archive" -d "$into"
    elif command -v 7z >/dev/null 2>&1; then
      7z x -y "-o$into" "$archive" >/dev/null
    else
      powershell -NoProfile -Command "Expand-Archive -Force -Path '$archive' -DestinationPath '$into'"
    fi
    ;;
  esac
}

# Downloads, verifies and unpacks the release binary. Returns 1 (after saying why) when no
# binary fits, so that the caller falls back; exits on a checksum mismatch.
install_binary() {
  local target=$1 ext=tar.gz exe=versus
  if [ -z "$target" ]; then
    note "no release binary for $(uname -s) $(uname -m)"
    return 1
  fi
  case "$target" in *windows*) ext=zip exe=versus.exe ;; esac
  local archive="versus-v$version-$target.$ext"
  local url="$releases/v$version/$archive"
  local work="$install_dir/download"
  rm -rf "$work" && mkdir -p "$work/unpacked"
  note "downloading $url"
  if ! curl -fsSL --retry 3 -o "$work/$archive" "$url"; then
    note "could not download $url"
    return 1
  fi
  curl -fsSL --retry 3 -o "$work/$archive.sha256" "$url.sha256" ||
    fail "could not download $url.sha256, so $archive cannot be verified"
  local expected actual
  expected=$(tr -d '\r' <"$work/$archive.sha256" | awk 'NR == 1 { print tolower($1) }')
  actual=$(sha256_of "$work/$archive")
  if [ "$expected" != "$actual" ]; then
    fail "checksum mismatch for $archive: expected $expected (from $archive.sha256), got $actual; nothing was installed"
  fi
  note "checksum verified: $actual"
  unpack "$work/$archive" "$work/unpacked"
  [ -f "$work/unpacked/$exe" ] || fail "$archive holds no $exe"
  if ! "$work/unpacked/$exe" --version >/dev/null 2>&1; then
    note "the release binary for $target does not run on this machine"
    return 1
  fi
  mkdir -p "$install_dir/bin"
  mv -f "$work/unpacked/$exe" "$install_dir/bin/$exe"
  chmod +x "$install_dir/bin/$exe"
  rm -rf "$work"
}

install_with_cargo() {
  command -v cargo >/dev/null 2>&1 ||
    fail "no release binary fits this machine and cargo is not installed: add a Rust toolchain (e.g. dtolnay/rust-toolchain@stable) before this step"
  note "building from source: cargo install --locked --git $git --tag v$version versus"
  cargo install --locked --git "$git" --tag "v$version" --root "$install_dir" versus
}

version=${VERSUS_VERSION:-}
if [ -z "$version" ]; then
  ref=${VERSUS_ACTION_REF:-}
  [[ $ref =~ ^v[0-9]+\.[0-9]+\.[0-9]+ ]] ||
    fail "no version to install: set the action's input \`version\` (e.g. 0.1.0), or use the action at a release tag (uses: <owner>/versus@v0.1.0)"
  version=$ref
fi
version=${version#v}
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]+)?$ ]] ||
  fail "\`$version\` is not a versus version (expected e.g. 0.1.0)"

server=${VERSUS_SERVER:-https://github.com}
repository=${VERSUS_REPOSITORY:-$(repository_from_action_path)}
if [ -z "${VERSUS_RELEASES:-}" ] || [ -z "${VERSUS_GIT:-}" ]; then
  [ -n "$repository" ] || fail "cannot tell which repository versus is released from: set VERSUS_REPOSITORY to <owner>/<name>"
fi
releases=${VERSUS_RELEASES:-$server/$repository/releases/download}
releases=${releases%/}
git=${VERSUS_GIT:-$server/$repository}
install_dir=${VERSUS_INSTALL_DIR:-${RUNNER_TEMP:-${TMPDIR:-/tmp}}/versus}
target=${VERSUS_TARGET-$(detect_target)}

if ! install_binary "$target"; then
  note "falling back to cargo install"
  install_with_cargo
fi

exe="$install_dir/bin/versus"
[ -f "$exe" ] || exe="$exe.exe"
printed=$("$exe" --version) || fail "$exe does not run"
[ "$printed" = "versus $version" ] ||
  fail "$exe --version printed \`$printed\`, expected \`versus $version\`"
if [ -n "${GITHUB_PATH:-}" ]; then
  echo "$install_dir/bin" >>"$GITHUB_PATH"
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  echo "version=$version" >>"$GITHUB_OUTPUT"
fi
note "installed $printed in $install_dir/bin"
