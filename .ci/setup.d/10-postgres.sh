# PostgreSQL server binaries for the PostgreSQL store tests: the test fixture starts a private throwaway cluster from them
# (initdb + pg_ctl on a free port), so no service needs to run. Debian keeps initdb off PATH, in
# /usr/lib/postgresql/<major>/bin, where need_apt's `command -v` cannot see it: check for the file and call apt the same way.
if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  if [ "${apt_updated:-0}" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || { echo "apt-get update failed"; return 1; }
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null \
    || { echo "could not install postgresql"; return 1; }
fi
