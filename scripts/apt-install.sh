# Sourced by the install-*.sh scripts: `apt_install NAME PACKAGE...` installs Debian
# packages quietly, with sudo when not root.
apt_install() {
  local name=$1
  shift
  echo "$name: installing $*" >&2
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    sudo="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
