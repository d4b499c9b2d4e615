#!/bin/sh
# Stands in for the cyberex CLI in the after-action player's tests: prints its arguments, one per line.
for a in "$@"; do printf '%s\n' "$a"; done
