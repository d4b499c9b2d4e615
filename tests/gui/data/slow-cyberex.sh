#!/bin/sh
# Stands in for a long cyberex whatif in the after-action player's cancel test: one hour of progress, then a minute.
echo "cyberex whatif: progress 3600/28800" >&2
exec sleep 60
