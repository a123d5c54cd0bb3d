#!/usr/bin/env bash
# values.sh BIN VALUES CACHE: for every secret value of VALUES (YAML text,
# one per line), what Docker Compose v2 gives the container is the same
# before and after `hardcompose -w`: through .env (an image that reads no
# file) and through a secret file (postgres). A value that cannot be kept
# must be left in place with a warning. Compose v2 comes from
# tests/engine/compose-v2.sh CACHE; without it the test is skipped (77).
set -u
bin=$1 values=$2 cache=$3
here=$(cd "$(dirname "$0")" && pwd)
cfg=$(bash "$here/engine/compose-v2.sh" "$cache" 2>/dev/null) || {
  # CI (HC_ENGINE_REQUIRED=1) never skips it
  [ "${HC_ENGINE_REQUIRED:-0}" = 1 ] && { echo "values: FAILED: no Docker Compose v2"; exit 1; }
  echo "values: no Docker Compose v2: skipped"; exit 77; }
export DOCKER_CONFIG=$cfg
perl -MJSON::PP -e 1 2>/dev/null || { echo "values: no perl with JSON::PP: skipped"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/p"
n=0
{
  echo "services:"
  echo "  app:"
  echo "    image: acme/app"
  echo "    environment:"
  while IFS= read -r v; do
    case $v in '#'* | '') continue ;; esac
    n=$((n + 1))
    case $v in *://*) echo "      V${n}_DSN: $v" ;; *) echo "      V${n}_PASSWORD: $v" ;; esac
  done <"$values"
  i=0
  while IFS= read -r v; do
    case $v in '#'* | '') continue ;; esac
    i=$((i + 1))
    case $v in *://*) continue ;; esac
    printf '  s%d:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: %s\n' "$i" "$v"
  done <"$values"
} >"$tmp/p/compose.yaml"
cp "$tmp/p/compose.yaml" "$tmp/before.yaml"
(cd "$tmp/p" && docker compose config --format json) >"$tmp/before.json" 2>"$tmp/before.err" ||
  { echo "FAIL: Compose does not read the table: $(head -3 "$tmp/before.err")"; exit 1; }
(cd "$tmp/p" && "$bin" --no-config -p none -e secrets -w compose.yaml) >/dev/null 2>"$tmp/w.err"; c=$?
[ $c -eq 0 ] || { echo "FAIL: hardcompose -w exits $c: $(head -3 "$tmp/w.err")"; exit 1; }
(cd "$tmp/p" && "$bin" --no-config -p none -e secrets --check compose.yaml) >"$tmp/left.txt" 2>&1
(cd "$tmp/p" && docker compose config --format json) >"$tmp/after.json" 2>"$tmp/after.err" ||
  { echo "FAIL: Compose does not read the result: $(head -3 "$tmp/after.err")"; exit 1; }
perl -MJSON::PP -e '
use strict; use warnings;
my ($tmp, $n) = @ARGV;
sub slurp { local $/; open(my $f, "<:raw", $_[0]) or die "$_[0]: $!"; my $t = <$f>; return $t; }
my $json = JSON::PP->new->utf8->canonical;
binmode(STDOUT, ":raw");
my $b = $json->decode(slurp("$tmp/before.json"))->{services};
my $a = $json->decode(slurp("$tmp/after.json"))->{services};
my $left = slurp("$tmp/left.txt");
my $compose = slurp("$tmp/p/compose.yaml");
my ($fails, $moved, $kept) = (0, 0, 0);
sub run { my $v = shift; return undef unless defined $v; $v =~ s/\$\$/\$/g; return $v; } # config writes $ as $$
sub show { my $v = shift; return defined $v ? $json->encode([$v]) : "(none)"; } # UTF-8 bytes
for my $k (sort keys %{ $b->{app}{environment} }) {
  my $v = $b->{app}{environment}{$k};
  my $w = $a->{app}{environment}{$k};
  if (!defined $w || $w ne $v) {
    $fails++; print "FAIL: $k (.env): Compose gives ", show($w), " after, ", show($v), " before\n";
  } elsif ($compose =~ /^      \Q$k\E: .*\$\{/m) {
    $moved++;
  } else {
    $kept++;
    if ($left !~ /\b\Q$k\E\b/) { $fails++; print "FAIL: $k left in place without a warning\n"; }
  }
}
for my $s (sort keys %$b) {
  next if $s eq "app";
  my $v = run($b->{$s}{environment}{POSTGRES_PASSWORD});
  my $env = $a->{$s}{environment};
  if (exists $env->{POSTGRES_PASSWORD_FILE}) {
    (my $name = $env->{POSTGRES_PASSWORD_FILE}) =~ s{.*/}{};
    my $got = slurp("$tmp/p/secrets/$name");
    utf8::decode($got);
    if ($got ne $v) { $fails++; print "FAIL: $s (file): the file holds ", show($got), ", Compose gave ", show($v), " before\n"; }
    else { $moved++; }
  } elsif (!defined $env->{POSTGRES_PASSWORD} || run($env->{POSTGRES_PASSWORD}) ne $v) {
    $fails++; print "FAIL: $s: Compose gives ", show($env->{POSTGRES_PASSWORD}), " after, ", show($v), " before\n";
  } else {
    $kept++;
    if ($left !~ /service "\Q$s\E": POSTGRES_PASSWORD/) { $fails++; print "FAIL: $s left in place without a warning\n"; }
  }
}
print "values: $n values, $moved moves and $kept left with a warning checked against Docker Compose v2; $fails failed\n";
exit($fails ? 1 : 0);
' "$tmp" "$n"
