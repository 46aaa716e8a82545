#!/usr/bin/env bash
# Starts NovaCron on this machine: checks Debian packages (installs them as root), prepares the test guest image,
# builds the control plane and the node agent, starts both and prints the URL. Ctrl-C stops both; guests keep
# running (the agent re-attaches to them on its next start).
#
# Settings (environment): NOVACRON_DATA_DIR (default ~/.local/share/novacron), NOVACRON_URL (default
# http://127.0.0.1:5080), NOVACRON_ACCELERATOR (auto|kvm|tcg, default auto), NOVACRON_NODE_NAME (default host name).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

data_dir="${NOVACRON_DATA_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/novacron}"
url="${NOVACRON_URL:-http://127.0.0.1:5080}"
accelerator="${NOVACRON_ACCELERATOR:-auto}"
mkdir -p "$data_dir"

echo "[run] step 1/5: checking Debian packages"
bash scripts/setup-host.sh run

echo "[run] step 2/5: preparing the test guest image in $data_dir/images"
bash scripts/prepare-guest-image.sh "$data_dir"

echo "[run] step 3/5: building the control plane and the node agent"
out="$root/artifacts/run"
dotnet publish src/Web/Web.csproj -c Release -o "$out/web" --verbosity quiet -nologo
dotnet publish src/NodeAgent/NodeAgent.csproj -c Release -o "$out/agent" --verbosity quiet -nologo

# A fresh bootstrap enrollment token for this run. It lives only in the two processes' environments: never on disk or
# in logs. The agent trades it for its own node credential on first start and keeps that in $data_dir/agent/credential.
token="$(head -c 32 /dev/urandom | base64 | tr -d '/+=' )"

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
stop_on_signal() {
  trap - INT TERM
  echo "[run] stopping the control plane and the agent; running guests keep running" >&2
  cleanup
  exit 0
}
trap cleanup EXIT
trap stop_on_signal INT TERM

echo "[run] step 4/5: starting the control plane on $url"
(cd "$out/web" && ASPNETCORE_URLS="$url" NovaCron__DataDirectory="$data_dir" Agents__EnrollmentToken="$token" \
  exec dotnet NovaCron.Web.dll) &
pids+=($!)

for _ in $(seq 1 120); do
  if curl -fsS "$url/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "${pids[0]}" 2>/dev/null; then echo "[run] the control plane exited; see its output above" >&2; exit 1; fi
  sleep 0.5
done

# The first start creates the administrator with a generated password in a 0600 file: show it once, then remove it.
password_file="$data_dir/initial-admin-password"
if [ -f "$password_file" ]; then
  echo
  echo "Sign in as admin with password: $(cat "$password_file")"
  echo "(shown once; change it on the account page)"
  echo
  rm -f "$password_file"
fi

echo "[run] step 5/5: starting the local node agent (accelerator: $accelerator)"
# NOVACRON_AGENT_ENROLLMENT_TOKEN lets the local agent enroll with an administrator's nce_… token instead, for example
# after its credential was revoked (a revoked node never re-enrolls with the configuration token).
(cd "$out/agent" && Agent__ControlPlaneUrl="$url" Agent__EnrollmentToken="${NOVACRON_AGENT_ENROLLMENT_TOKEN:-$token}" Agent__DataDirectory="$data_dir" \
  Agent__Accelerator="$accelerator" ${NOVACRON_NODE_NAME:+Agent__NodeName="$NOVACRON_NODE_NAME"} exec dotnet NovaCron.NodeAgent.dll) &
pids+=($!)

echo
echo "NovaCron is running: open $url  (API docs: $url/api/docs, OpenAPI: $url/openapi/v1.json)"
echo "The node agent appears on the Nodes page within about 10 s (with accelerator auto it first checks whether KVM boots guests)."
echo "Press Ctrl-C to stop the control plane and the agent; running guests keep running."
status=0
wait -n "${pids[@]}" || status=$?
if ! kill -0 "${pids[0]}" 2>/dev/null; then
  echo "[run] the control plane exited (status $status); stopping the agent. Its output above says why." >&2
else
  echo "[run] the node agent exited (status $status); stopping the control plane. Its output above says why." >&2
fi
exit "$status"
