#!/usr/bin/env bash
# QueueCrew API walkthrough: two people, one group, an invite, three suggestions for a game night, votes,
# results with a tie, closing the night (the tie broken at random, checkably), and history — with nothing but curl, a cookie jar per person and jq.
#
#   npm start                                  # in another terminal (or any running instance)
#   BASE=http://localhost:3000 bash docs/api-walkthrough.sh
#
# Needs: bash, curl, jq, and an instance where registration is open (the default outside production).
# Every step prints the request, the status and the JSON answer; the script stops at the first
# unexpected status. Cookies are kept in temporary jars, like a browser would, and each request sends
# the app's own Origin like a browser does: the CSRF check refuses cookie-authenticated writes that
# prove no origin (decision 080).
set -euo pipefail

BASE=${BASE:-http://localhost:3000}
# The Origin the server expects is its APP_URL (the same as BASE unless a proxy sits in front).
ORIGIN=${ORIGIN:-$BASE}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
RUN="$(date +%s)$RANDOM"
PASSWORD='walkthrough: correct horse battery staple'

# call JAR EXPECTED_STATUS METHOD PATH [JSON_BODY] → prints the response body on stdout.
call() {
  local jar=$1 expected=$2 method=$3 path=$4 body=${5-}
  local args=(-sS -b "$jar" -c "$jar" -X "$method" -o "$WORK/body" -w '%{http_code}' -H 'Accept: application/json' -H "Origin: $ORIGIN")
  if [[ -n $body ]]; then args+=(-H 'Content-Type: application/json' --data "$body"); fi
  local status
  status=$(curl "${args[@]}" "$BASE$path")
  printf '\n\033[1m%s %s\033[0m → %s\n' "$method" "$path" "$status" >&2
  if [[ -s $WORK/body ]]; then jq . "$WORK/body" >&2 || cat "$WORK/body" >&2; fi
  if [[ $status != "$expected" ]]; then
    echo "Expected $expected, got $status — stopping." >&2
    exit 1
  fi
  cat "$WORK/body"
}

ANA="$WORK/ana.jar"
BEN="$WORK/ben.jar"
# Tomorrow's game night: open whatever the time of day (tonight's voting closes at 19:30 group time).
NIGHT=$(date -u -d tomorrow +%F 2>/dev/null || date -u -v+1d +%F)

echo "== 1. Two people register (each gets session cookies in their own jar)"
call "$ANA" 201 POST /api/auth/register "{\"email\":\"ana.$RUN@example.com\",\"username\":\"ana_$RUN\",\"password\":\"$PASSWORD\"}" >/dev/null
call "$BEN" 201 POST /api/auth/register "{\"email\":\"ben.$RUN@example.com\",\"username\":\"ben_$RUN\",\"password\":\"$PASSWORD\"}" >/dev/null

echo "== 2. Ana creates a group (timezone UTC, so 'today' below matches the group's day)"
GROUP_ID=$(call "$ANA" 201 POST /api/groups '{"name":"Friday night crew","description":"What do we play tonight?","timezone":"UTC"}' | jq -r .id)

echo "== 3. Ana creates an invite link; Ben previews it and joins"
CODE=$(call "$ANA" 201 POST "/api/groups/$GROUP_ID/invites" '{"expiresInHours":24,"maxUses":5}' | jq -r .code)
call "$BEN" 200 GET "/api/invites/$CODE" >/dev/null
call "$BEN" 200 POST "/api/invites/$CODE/accept" >/dev/null
call "$BEN" 200 POST "/api/invites/$CODE/accept" >/dev/null # idempotent: still a member, no use counted
call "$ANA" 200 GET "/api/groups/$GROUP_ID" >/dev/null

echo "== 4. Three suggestions for tomorrow's night (each is its suggester's approval; a duplicate is refused with a pointer)"
RL=$(call "$ANA" 201 POST "/api/groups/$GROUP_ID/suggestions" "{\"gameName\":\"Rocket League\",\"date\":\"$NIGHT\"}" | jq -r .id)
DRG=$(call "$BEN" 201 POST "/api/groups/$GROUP_ID/suggestions" "{\"gameName\":\"Deep Rock Galactic\",\"date\":\"$NIGHT\"}" | jq -r .id)
AU=$(call "$ANA" 201 POST "/api/groups/$GROUP_ID/suggestions" "{\"gameName\":\"Among Us\",\"date\":\"$NIGHT\"}" | jq -r .id)
call "$BEN" 409 POST "/api/groups/$GROUP_ID/suggestions" "{\"gameName\":\"  rocket   LEAGUE \",\"date\":\"$NIGHT\"}" >/dev/null

echo "== 5. Approval votes: Ana approves Deep Rock Galactic, Ben Rocket League; Ben tries Among Us and takes it back"
call "$ANA" 201 POST "/api/suggestions/$DRG/votes" >/dev/null
call "$BEN" 201 POST "/api/suggestions/$RL/votes" >/dev/null
call "$BEN" 409 POST "/api/suggestions/$RL/votes" >/dev/null # already approved
call "$ANA" 409 POST "/api/suggestions/$RL/votes" >/dev/null # her own suggestion: approved already
call "$BEN" 201 POST "/api/suggestions/$AU/votes" >/dev/null
call "$BEN" 204 DELETE "/api/suggestions/$AU/votes" >/dev/null

echo "== 6. The night's suggestions (by votes) and results: a tie, so two winners"
call "$ANA" 200 GET "/api/groups/$GROUP_ID/suggestions?date=$NIGHT" >/dev/null
RESULTS=$(call "$BEN" 200 GET "/api/groups/$GROUP_ID/results?date=$NIGHT")
WINNERS=$(jq -c '.winners | sort' <<<"$RESULTS")
EXPECTED=$(jq -cn --arg a "$RL" --arg b "$DRG" '[$a, $b] | sort')
if [[ $WINNERS != "$EXPECTED" ]]; then
  echo "Expected a tie between Rocket League and Deep Rock Galactic, got $WINNERS" >&2
  exit 1
fi

echo "== 7. Who's in, then Ana (the owner) closes voting now: the tie is broken at random, with a seed anyone can check"
call "$BEN" 200 PUT "/api/groups/$GROUP_ID/nights/$NIGHT/rsvp" '{"status":"in"}' >/dev/null
CLOSED=$(call "$ANA" 200 POST "/api/groups/$GROUP_ID/nights/$NIGHT/close")
SEED=$(jq -r .tieBreakSeed <<<"$CLOSED")
# The rule: candidates sorted by id; index = first 4 bytes of sha256(seed), big-endian, mod the count.
INDEX=$(( 16#$(printf %s "$SEED" | sha256sum | cut -c1-8) % 2 ))
PICK=$(jq -r --argjson i "$INDEX" '.tied | sort | .[$i]' <<<"$CLOSED")
if [[ $(jq -r '.winner.suggestionId + " " + .winner.decidedBy' <<<"$CLOSED") != "$PICK random" ]]; then
  echo "Expected the random pick $PICK (seed $SEED) to have won" >&2
  exit 1
fi
call "$BEN" 409 POST "/api/suggestions/$AU/votes" >/dev/null # voting_closed

echo "== 8. History lists the closed night with its winner and how it was decided"
HISTORY=$(call "$BEN" 200 GET "/api/groups/$GROUP_ID/history?from=$NIGHT&to=$NIGHT")
if [[ $(jq -r --arg d "$NIGHT" '.[] | select(.date == $d) | .decidedBy' <<<"$HISTORY") != "random" ]]; then
  echo "Expected the night of $NIGHT in the history, decided at random" >&2
  exit 1
fi
WINNER=$(jq -r '.winner.gameName' <<<"$CLOSED")

printf '\n\033[1;32mWalkthrough complete:\033[0m group %s, a tie on %s between Rocket League and Deep Rock Galactic, broken at random: %s (seed %s).\n' "$GROUP_ID" "$NIGHT" "$WINNER" "$SEED"
