#!/usr/bin/env bash
# Smoke-tests the packaged programs in DIST (default dist/): --version, --self-test, and the
# portable program keeping its data beside itself when portable.txt is there.
set -euo pipefail
dist=${1:-dist}
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
suffix=""
[[ "${OS:-}" == "Windows_NT" ]] && suffix=".exe"
folder="$dist/TimeSyncer/TimeSyncer$suffix"
portable="$dist/TimeSyncer-portable$suffix"

for program in "$folder" "$portable"; do
    "$program" --version
    "$program" --self-test
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$portable" "$work/"
touch "$work/portable.txt"
HOME="$work/home" "$work/TimeSyncer-portable$suffix" --exit-after-paint
test -f "$work/data/timesyncer.db" || { echo "portable mode wrote no database beside the program"; exit 1; }
test -f "$work/data/logs/app.log" || { echo "portable mode wrote no log beside the program"; exit 1; }
test ! -e "$work/home/.local/share/TimeSyncer" || { echo "portable mode wrote to the user folder"; exit 1; }
# Installed in a read-only folder (as under Program Files), it starts and writes nothing there.
if [[ "$(id -u)" == "0" && "$(uname)" == "Linux" ]]; then
    install="$work/installed"
    mkdir -p "$install"
    mount -t tmpfs -o size=400m tmpfs "$install" \
        || { echo "cannot mount a read-only folder here; that check needs mount rights"; exit 1; }
    cp -a "$dist/TimeSyncer" "$install/"
    mount -o remount,ro "$install"
    before=$(find "$install" | wc -l)
    HOME="$work/home2" "$install/TimeSyncer/TimeSyncer" --exit-after-paint \
        || { umount "$install"; echo "the program failed from a read-only folder"; exit 1; }
    after=$(find "$install" | wc -l)
    umount "$install"
    [[ "$before" == "$after" ]] || { echo "the program wrote into its install folder"; exit 1; }
    test -f "$work/home2/.local/share/TimeSyncer/timesyncer.db" \
        || { echo "the installed program kept no database in the user folder"; exit 1; }
fi
du -sh "$dist/TimeSyncer" "$portable"
echo "package smoke test passed"
