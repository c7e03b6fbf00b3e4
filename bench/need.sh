# Sourced by bench/*.sh: `need COMMAND [PACKAGE]` installs the Debian package (default: COMMAND) when
# COMMAND is missing, with sudo unless root, refreshing the package lists once if the first try fails.
need() {
  command -v "$1" >/dev/null && return
  local package=${2:-$1} sudo=()
  [ "$(id -u)" = 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get install -y "$package" >/dev/null ||
    { "${sudo[@]}" apt-get update >/dev/null && "${sudo[@]}" apt-get install -y "$package" >/dev/null; }
}
