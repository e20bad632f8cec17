#!/usr/bin/env bash
# QueueCrew API walkthrough: two people, one group, an invite, three suggestions, votes, results with a
# tie, and history — with nothing but curl, a cookie jar per person and jq.
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
TODAY=$(date -u +%F)
YESTERDAY=$(date -u -d yesterday +%F 2>/dev/null || date -u -v-1d +%F)

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

echo "== 4. Three suggestions for today (and one duplicate, refused with a pointer to the original)"
RL=$(call "$ANA" 201 POST "/api/groups/$GROUP_ID/suggestions" '{"gameName":"Rocket League"}' | jq -r .id)
DRG=$(call "$BEN" 201 POST "/api/groups/$GROUP_ID/suggestions" '{"gameName":"Deep Rock Galactic"}' | jq -r .id)
AU=$(call "$ANA" 201 POST "/api/groups/$GROUP_ID/suggestions" '{"gameName":"Among Us"}' | jq -r .id)
call "$BEN" 409 POST "/api/groups/$GROUP_ID/suggestions" '{"gameName":"  rocket   LEAGUE "}' >/dev/null

echo "== 5. Approval votes: both approve Rocket League and Deep Rock Galactic; Ben tries Among Us and takes it back"
call "$ANA" 201 POST "/api/suggestions/$RL/votes" >/dev/null
call "$ANA" 201 POST "/api/suggestions/$DRG/votes" >/dev/null
call "$BEN" 201 POST "/api/suggestions/$RL/votes" >/dev/null
call "$BEN" 201 POST "/api/suggestions/$DRG/votes" >/dev/null
call "$BEN" 409 POST "/api/suggestions/$RL/votes" >/dev/null # already approved
call "$BEN" 201 POST "/api/suggestions/$AU/votes" >/dev/null
call "$BEN" 204 DELETE "/api/suggestions/$AU/votes" >/dev/null

echo "== 6. Today's suggestions (by votes) and results: a tie, so two winners"
call "$ANA" 200 GET "/api/groups/$GROUP_ID/suggestions?date=$TODAY" >/dev/null
RESULTS=$(call "$BEN" 200 GET "/api/groups/$GROUP_ID/results?date=$TODAY")
WINNERS=$(jq -c '.winners | sort' <<<"$RESULTS")
EXPECTED=$(jq -cn --arg a "$RL" --arg b "$DRG" '[$a, $b] | sort')
if [[ $WINNERS != "$EXPECTED" ]]; then
  echo "Expected a tie between Rocket League and Deep Rock Galactic, got $WINNERS" >&2
  exit 1
fi

echo "== 7. Yesterday still takes suggestions and votes; history shows it with its winner"
VAL=$(call "$ANA" 201 POST "/api/groups/$GROUP_ID/suggestions" "{\"gameName\":\"Valheim\",\"date\":\"$YESTERDAY\"}" | jq -r .id)
call "$ANA" 201 POST "/api/groups/$GROUP_ID/suggestions" "{\"gameName\":\"Chess\",\"date\":\"$YESTERDAY\"}" >/dev/null
call "$ANA" 201 POST "/api/suggestions/$VAL/votes" >/dev/null
call "$BEN" 201 POST "/api/suggestions/$VAL/votes" >/dev/null
HISTORY=$(call "$BEN" 200 GET "/api/groups/$GROUP_ID/history")
if [[ $(jq -r --arg d "$YESTERDAY" '.[] | select(.date == $d) | .winners[0].gameName' <<<"$HISTORY") != "Valheim" ]]; then
  echo "Expected Valheim to have won $YESTERDAY in the history" >&2
  exit 1
fi
call "$BEN" 200 GET "/api/groups/$GROUP_ID/history?from=$YESTERDAY&to=$TODAY" >/dev/null

printf '\n\033[1;32mWalkthrough complete:\033[0m group %s, tie today between Rocket League and Deep Rock Galactic, Valheim won %s.\n' "$GROUP_ID" "$YESTERDAY"
