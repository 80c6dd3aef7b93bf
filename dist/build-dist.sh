#!/bin/bash
# Builds rktlet's distribution: a trimmed Java runtime, the shaded jar, an AppCDS archive, the
# launcher, the systemd unit and the example configuration, as a tar.gz archive and, where
# dpkg-deb exists, a Debian package. Maven runs it in the package phase of the dist module;
# every input is an environment variable so it can also be run by hand.
#
#   VERSION     rktlet's version, for example 0.1.0-SNAPSHOT
#   RKTLET_JAR  the shaded jar (rktlet/target/rktlet.jar)
#   JLINK_JDK   the JDK whose jlink builds the runtime; its version is the runtime's
#   MODULES     comma-separated modules of the runtime
#   FAKE_RKT    the rkt test double, which the AppCDS training run uses instead of rkt
#   BUILD_JAVA  a java with a compiler, to run tools/StartupProbe.java from source
#   OUT         output directory (dist/target)
#   MAINTAINER  the Debian package's Maintainer field
#   TRAIN_CDS   "false" to ship no AppCDS archive (a runtime that cannot map a relocated one)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
name="rktlet-$VERSION"
stage="$OUT/$name"
archive="$OUT/$name-linux-amd64.tar.gz"

step() {
  echo "[build-dist] $*"
}

if [ ! -x "$JLINK_JDK/bin/jlink" ]; then
  echo "build-dist: no jlink in $JLINK_JDK; set -Ddist.jdk to the JDK to bundle" >&2
  exit 1
fi

rm -rf "$stage" "$archive"
mkdir -p "$stage/lib"

step "linking the Java runtime from $JLINK_JDK with $MODULES"
"$JLINK_JDK/bin/jlink" \
  --add-modules "$MODULES" \
  --strip-debug --no-header-files --no-man-pages \
  --generate-cds-archive \
  --output "$stage/runtime"

cp -p "$RKTLET_JAR" "$stage/lib/rktlet.jar"
cp -rp "$here/src/main/dist/." "$stage/"
cp -p "$here/rktlet.toml.example" "$stage/"
chmod 0755 "$stage/bin/rktlet"

# The archive must come from the same runtime, jar and JVM options that the launcher uses, so
# the training run goes through the launcher. One start of rktlet against the rkt test double,
# one Version call and a SIGTERM load the classes of start-up and of serving a call; the JVM
# writes them to the archive as it exits.
if [ "${TRAIN_CDS:-true}" = "false" ]; then
  step "shipping no AppCDS archive: $JLINK_JDK cannot use one after the archive is unpacked"
else
  step "training the AppCDS archive"
  RKTLET_JAVA_OPTS="-XX:ArchiveClassesAtExit=$stage/lib/rktlet.jsa" \
    "$BUILD_JAVA" -cp "$stage/lib/rktlet.jar" "$here/tools/StartupProbe.java" --runs=1 -- \
    "$stage/bin/rktlet" \
    --config={dir}/rktlet.toml --socket={dir}/rktlet.sock --state-dir={dir}/state \
    --rkt="$FAKE_RKT" --rkt-dir={dir}/rkt --sandbox-launcher=detached --manage-mounts=false
  if [ ! -s "$stage/lib/rktlet.jsa" ]; then
    echo "build-dist: the training run wrote no $stage/lib/rktlet.jsa" >&2
    exit 1
  fi
fi

step "writing $archive"
tar --create --gzip --file "$archive" --directory "$OUT" \
  --owner=0 --group=0 --numeric-owner --sort=name "$name"

if ! command -v dpkg-deb >/dev/null; then
  step "dpkg-deb not found; no Debian package"
  exit 0
fi

# Debian versions sort "~" before anything, so 0.1.0~SNAPSHOT comes before 0.1.0.
deb_version=${VERSION//-/\~}
deb_root="$OUT/deb"
deb="$OUT/rktlet_${deb_version}_amd64.deb"
rm -rf "$deb_root" "$deb"
mkdir -p "$deb_root/opt/rktlet" "$deb_root/lib/systemd/system" "$deb_root/etc/rktlet" \
  "$deb_root/usr/bin" "$deb_root/DEBIAN"
cp -rp "$stage/bin" "$stage/lib" "$stage/runtime" "$deb_root/opt/rktlet/"
# The launcher finds its runtime through the resolved link, so "rktlet check" works from PATH.
ln -s /opt/rktlet/bin/rktlet "$deb_root/usr/bin/rktlet"
cp -p "$stage/systemd/rktlet.service" "$deb_root/lib/systemd/system/"
cp -p "$stage/rktlet.toml.example" "$deb_root/etc/rktlet/rktlet.toml.example"
cp -p "$stage/rktlet.toml.example" "$deb_root/etc/rktlet/rktlet.toml"
installed_kib=$(du -sk --exclude=DEBIAN "$deb_root" | cut -f1)
sed -e "s|@VERSION@|$deb_version|" -e "s|@MAINTAINER@|$MAINTAINER|" \
  -e "s|@INSTALLED_SIZE@|$installed_kib|" \
  "$here/src/main/debian/control" > "$deb_root/DEBIAN/control"
cp -p "$here/src/main/debian/conffiles" "$here/src/main/debian/postinst" \
  "$here/src/main/debian/prerm" "$here/src/main/debian/postrm" "$deb_root/DEBIAN/"

step "writing $deb"
# gzip level 6: dpkg-deb's default level 9 takes four times as long for a 1 % smaller package.
dpkg-deb --root-owner-group -Zgzip -z6 --build "$deb_root" "$deb" >/dev/null
