#!/usr/bin/env bash
# Builds the root filesystem of the service image's base layer into $OUT (run by Maven in
# iomt-service's package phase, before jib:buildTar; see README.md next to this script):
#   /opt/java                    a jlinked Java runtime with only the modules the service uses
#   /lib/..., /lib64/...          the shared libraries that runtime loads, and the dynamic loader,
#                                 copied from this machine (resolved with ldd)
#   /etc/passwd, group, nsswitch  the non-root user iomt (10001:10001); names from files, then DNS
#   /tmp, /data                   empty directories (mount volumes there for a read-only root)
# The result is reused while the JDK, the module list and this script are unchanged (a stamp file),
# so repeated builds pay for jlink once.
#
# Usage: build-runtime.sh JAVA_HOME OUT MODULES(comma-separated)
set -euo pipefail

java_home="$1"
out="$2"
modules="$3"
here="$(cd "$(dirname "$0")" && pwd)"

if [ "$(uname -s)" != Linux ]; then
  echo "build-runtime: the image's runtime is built from a Linux JDK and this machine's libraries;" \
    "$(uname -s) is not Linux" >&2
  exit 1
fi
jlink="$java_home/bin/jlink"
if [ ! -x "$jlink" ]; then
  # Maven runs on a JRE's java.home with some JDK layouts (java.home = <jdk>/jre on Java 8 only).
  jlink="$(dirname "$java_home")/bin/jlink"
fi
[ -x "$jlink" ] || { echo "build-runtime: no jlink under $java_home (a JDK is needed)" >&2; exit 1; }

version="$("$java_home/bin/java" -version 2>&1 | tr '\n' ' ')"
stamp="$(printf '%s\n%s\n%s\n' "$version" "$modules" "$(cat "$0" "$here"/root/etc/*)" \
  | sha256sum | cut -d' ' -f1)"
if [ -f "$out.stamp" ] && [ "$(cat "$out.stamp")" = "$stamp" ]; then
  echo "build-runtime: $out is up to date"
  exit 0
fi
rm -rf "$out"
mkdir -p "$out/opt"

# No --compress: the registry compresses layers anyway, and an uncompressed modules file starts faster.
"$jlink" --add-modules "$modules" --output "$out/opt/java" \
  --strip-debug --no-man-pages --no-header-files

# The service is headless: java.desktop is there for java.beans (Spring's bean introspection), not
# for windows, fonts, sound or images, whose native libraries would pull in X11, freetype and more.
for gui in libawt_xawt libjawt libfontmanager libjavajpeg libjsound liblcms libsplashscreen; do
  rm -f "$out/opt/java/lib/$gui.so"
done

# Every ELF file of the runtime, and what each needs (ldd follows the chain), copied to the same
# absolute path in the image; symlinked libraries become regular files there.
libs="$(find "$out/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) -print0 \
  | xargs -0 ldd 2>/dev/null \
  | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// && $2 ~ /^\(/ { print $1 }' \
  | sort -u || true)"
# glibc loads libgcc_s by name when a thread exits or is cancelled (pthread_exit unwinding).
libgcc="$(ldconfig -p 2>/dev/null | awk '/libgcc_s\.so\.1 .*x86-64|libgcc_s\.so\.1 .*AArch64/ { print $NF; exit }')"
for lib in $libs $libgcc; do
  case "$lib" in
    "$out"/*) continue ;; # the runtime's own libraries (libjli, libjvm, ...) are already there
  esac
  mkdir -p "$out$(dirname "$lib")"
  cp -L "$lib" "$out$lib"
done
loader="$(find "$out/lib64" "$out/lib" -maxdepth 1 -name 'ld-linux-*' 2>/dev/null | head -1 || true)"
if [ -z "$loader" ]; then
  echo "build-runtime: ldd named no dynamic loader for $out/opt/java/bin/java" >&2
  exit 1
fi

cp -R "$here/root/etc" "$out/etc"
mkdir -p "$out/tmp" "$out/data"

# The runtime must start from its own files (the loader resolves libraries from $out alone).
libpath="$(find "$out/lib" "$out/lib64" "$out/usr" -name '*.so*' -printf '%h\n' 2>/dev/null | sort -u | paste -sd: || true)"
"$loader" --library-path "$libpath" "$out/opt/java/bin/java" -version

echo "$stamp" > "$out.stamp"
echo "build-runtime: $(du -sh "$out" | cut -f1) in $out"
