#!/usr/bin/env bash
# The curl examples of the Astria API documentation, pointed at the
# atelier-sandbox-server executable, get documented-looking answers.
#
#   curl-examples.sh path/to/atelier-sandbox-server
set -euo pipefail

server="$1"
work="$(mktemp -d)"
pid=""
cleanup () {
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

fail () {
  echo "not ok - $*"
  exit 1
}

# A free port, then the server on it.
port=$(( 20000 + RANDOM % 20000 ))
"$server" --port "$port" --data-dir "$work/data" --training-delay-ms 100 --prompt-delay-ms 100 \
  >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  grep -q "listening" "$work/server.log" 2>/dev/null && break
  sleep 0.05
done
grep -q "listening on http://127.0.0.1:$port" "$work/server.log" || fail "server did not start"

# Without --api-key the server makes a key and prints it, once, on its own line.
API_KEY=$(sed -n 's/^Atelier sandbox API key: \(sandbox-[0-9a-f]\{32\}\)$/\1/p' "$work/server.log")
[ -n "$API_KEY" ] || fail "no generated key printed"
[ "$(grep -c "$API_KEY" "$work/server.log")" = 1 ] || fail "the key is printed more than once"
echo "ok - a random key is generated and printed"

API="http://127.0.0.1:$port"
AUTH=(-H "Authorization: Bearer $API_KEY")

# Only that key
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer sd_example" "$API/tunes")
[ "$code" = 401 ] || fail "another key: 401 expected, got $code"
echo "ok - another key is refused"

# Photos for the multipart examples
for i in 1 2 3 4; do
  convert -size 600x600 "plasma:fractal" -seed "$i" "$work/$i.jpg" 2>/dev/null \
    || convert -size 600x600 gradient:red-blue "$work/$i.jpg"
done
cd "$work"

check () {
  local what="$1" json="$2" filter="$3"
  if ! echo "$json" | jq -e "$filter" >/dev/null; then
    echo "# answer: $json"
    fail "$what: $filter"
  fi
  echo "ok - $what"
}

# POST /tunes with images as multipart/form-data (docs: tune create)
tune=$(curl -sf -X POST "${AUTH[@]}" "$API/tunes" \
  -F tune[title]="John Doe - UUID - 1234-6789-1234-56789" \
  -F tune[name]=man \
  -F tune[branch]="fast" \
  -F tune[callback]="https://optional-callback-url.com/webhooks/astria?user_id=1&tune_id=1" \
  -F tune[base_tune_id]=690204 \
  -F tune[token]=ohwx \
  -F "tune[prompts_attributes][0][text]=ohwx man on space circa 1979 on cover of time magazine" \
  -F tune[prompts_attributes][0][callback]="https://optional-callback-url.com/webhooks/astria?user_id=1&prompt_id=1&tune_id=1" \
  -F "tune[images][]=@1.jpg" -F "tune[images][]=@2.jpg" -F "tune[images][]=@3.jpg" -F "tune[images][]=@4.jpg")
check "tune create (multipart)" "$tune" \
  '.id > 0 and .title == "John Doe - UUID - 1234-6789-1234-56789" and .name == "man" and .token == "ohwx"
   and .branch == "fast" and .base_tune_id == 690204 and (.orig_images | length) == 4
   and .trained_at != null and has("ckpt_url") and has("args") and has("steps") and has("face_crop")
   and has("expires_at") and has("created_at") and has("url")'
tune_id=$(echo "$tune" | jq .id)

# The same title again: idempotent
again=$(curl -sf -X POST "${AUTH[@]}" "$API/tunes" \
  -F tune[title]="John Doe - UUID - 1234-6789-1234-56789" -F tune[name]=man -F tune[branch]=fast \
  -F "tune[images][]=@1.jpg")
check "tune create is idempotent by title" "$again" ".id == $tune_id"

# POST /tunes as JSON with image_urls and prompts_attributes
image_url=$(echo "$tune" | jq -r '.orig_images[0]')
cat > data.json <<EOM
{
  "tune": {
    "title": "Grumpy Cat - UUID - 1234-6789-1234-56789",
    "name": "cat",
    "branch": "fast",
    "callback": "https://optional-callback-url.com/to-your-service-when-ready?user_id=1&tune_id=1",
    "image_urls": ["$image_url", "$image_url", "$image_url", "$image_url"],
    "prompts_attributes": [
      {"text": "ohwx cat in space circa 1979 French illustration"},
      {"text": "ohwx cat getting into trouble viral meme"}
    ]
  }
}
EOM
cat_tune=$(curl -sf -X POST -H "Content-Type: application/json" "${AUTH[@]}" --data @data.json "$API/tunes")
check "tune create (JSON)" "$cat_tune" '.id > 0 and .name == "cat" and (.orig_images | length) == 4'
cat_id=$(echo "$cat_tune" | jq .id)

# GET /tunes/:id, GET /tunes
check "tune retrieve" "$(curl -sf "${AUTH[@]}" "$API/tunes/$tune_id")" ".id == $tune_id and .title != null"
check "tune list" "$(curl -sf "${AUTH[@]}" "$API/tunes")" 'type == "array" and length == 2 and (.[0] | has("trained_at"))'
check "tune list offset" "$(curl -sf "${AUTH[@]}" "$API/tunes?offset=20")" 'type == "array" and length == 0'

# Prompts: create, retrieve, list
prompt=$(curl -sf -X POST "${AUTH[@]}" "$API/tunes/$tune_id/prompts" \
  -F prompt[text]="a painting of ohwx man in the style of Van Gogh" \
  -F prompt[negative_prompt]="old, blemish, wrin" \
  -F prompt[super_resolution]=true \
  -F prompt[face_correct]=true \
  -F prompt[callback]="https://optional-callback-url.com/to-your-service-when-ready?prompt_id=1")
check "prompt create" "$prompt" \
  ".id > 0 and .tune_id == $tune_id and .text == \"a painting of ohwx man in the style of Van Gogh\"
   and .negative_prompt == \"old, blemish, wrin\" and has(\"cfg_scale\") and has(\"seed\") and has(\"url\")
   and (.images | length) == 0"
prompt_id=$(echo "$prompt" | jq .id)
sleep 0.4
done_prompt=$(curl -sf "${AUTH[@]}" "$API/tunes/$tune_id/prompts/$prompt_id")
check "prompt retrieve (done)" "$done_prompt" ".id == $prompt_id and (.images | length) > 0 and .user_error == null"
image=$(echo "$done_prompt" | jq -r '.images[0]')
curl -sf -o generated.jpg "$image"
[ "$(head -c 3 generated.jpg | od -An -tx1 | tr -d ' ')" = "ffd8ff" ] || fail "generated image is not a JPEG"
echo "ok - generated image is a JPEG"
check "prompt list" "$(curl -sf "${AUTH[@]}" "$API/tunes/$tune_id/prompts")" 'type == "array" and length >= 2'

# Flux: a prompt on the gallery base model with a <lora:…> tag
check "prompt on Flux1.dev" "$(curl -sf -X POST "${AUTH[@]}" "$API/tunes/1504944/prompts" \
  -F prompt[text]="<lora:$tune_id:1> a painting of ohwx man in the style of Van Gogh")" '.tune_id == 1504944'

# Likes (both spellings of the documents)
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "${AUTH[@]}" "$API/prompts/$prompt_id/like")
[ "$code" = 201 ] || fail "like: $code"
echo "ok - like"
code=$(curl -s -o /dev/null -w '%{http_code}' -X DELETE "${AUTH[@]}" "$API/prompts/$prompt_id/likes")
case "$code" in 200|204) echo "ok - unlike" ;; *) fail "unlike: $code" ;; esac

# Packs
packs=$(curl -sf "${AUTH[@]}" "$API/packs")
check "pack list" "$packs" 'type == "array" and length > 0 and (.[0].cost_mc_hash | type) == "object" and (.[0] | has("slug"))'
check "gallery packs" "$(curl -sf "${AUTH[@]}" "$API/gallery/packs")" 'type == "array" and length > 0'
pack_id=$(echo "$packs" | jq '.[0].id')
pack_class=$(echo "$packs" | jq -r '.[0].cost_mc_hash | keys[0]')
check "pack tune (multipart)" "$(curl -sf -X POST "${AUTH[@]}" "$API/p/$pack_id/tunes" \
  -F tune[title]="Pack - UUID - 1" -F tune[name]="$pack_class" \
  -F tune[characteristics][eye_color]="blue eyes" \
  -F tune[prompt_attributes][callback]="https://optional-callback-url.com/webhooks/astria_prompts?user_id=1" \
  -F "tune[images][]=@1.jpg" -F "tune[images][]=@2.jpg")" '.id > 0 and .title == "Pack - UUID - 1"'
check "pack on tune_ids" "$(curl -sf -X POST -H "Content-Type: application/json" "${AUTH[@]}" \
  --data "{\"tune\": {\"tune_ids\": [$tune_id]}}" "$API/p/$pack_id/tunes")" 'type == "array" and .[0].id != null'

# Inspect
check "inspect" "$(curl -sf -X POST "${AUTH[@]}" "$API/images/inspect" -F "name=man" -F "file=@1.jpg")" \
  'has("name") and has("eye_color") and has("blurry") and has("wearing_sunglasses") and has("selfie")'

# Themes: "201, empty" or "200 OK, empty"
code=$(curl -s -o theme.out -w '%{http_code}' -X POST "${AUTH[@]}" "$API/themes" \
  -F "theme[theme]=Corporate headshots" -F "theme[tune_ids][]=$tune_id" -F "theme[prompt_attributes][num_images]=2")
case "$code" in 200|201) echo "ok - themes ($code)" ;; *) fail "themes: $code $(cat theme.out)" ;; esac

# 422 with field errors
code=$(curl -s -o invalid.json -w '%{http_code}' -X POST "${AUTH[@]}" "$API/tunes" -F tune[title]="x")
[ "$code" = 422 ] || fail "422 expected, got $code"
check "422 names the fields" "$(cat invalid.json)" 'has("name")'

# Deletes
code=$(curl -s -o /dev/null -w '%{http_code}' -X DELETE "${AUTH[@]}" "$API/prompts/$prompt_id")
[ "$code" = 200 ] || fail "delete prompt: $code"
echo "ok - delete prompt"
code=$(curl -s -o /dev/null -w '%{http_code}' -X DELETE "${AUTH[@]}" "$API/tunes/$cat_id")
[ "$code" = 200 ] || fail "delete tune: $code"
echo "ok - delete tune"

# No key: 401
code=$(curl -s -o /dev/null -w '%{http_code}' "$API/tunes")
[ "$code" = 401 ] || fail "401 expected, got $code"
echo "ok - 401 without a key"

# A browser's cross-origin POST, and a DNS-rebound Host
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "${AUTH[@]}" -H "Origin: https://attacker.example" \
  -H "Content-Type: text/plain" --data '{"kind": "status"}' "$API/__sandbox/faults")
[ "$code" = 403 ] || fail "Origin: 403 expected, got $code"
echo "ok - a request with an Origin is refused"
code=$(curl -s -o /dev/null -w '%{http_code}' "${AUTH[@]}" -H "Host: attacker.example:$port" "$API/tunes")
[ "$code" = 421 ] || fail "foreign Host: 421 expected, got $code"
echo "ok - a foreign Host is refused"

# Test controls: on in the standalone server, behind the key
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$API/__sandbox/faults" \
  -d '{"method": "GET", "path": "/packs", "kind": "status", "status": 503, "times": 1}')
[ "$code" = 401 ] || fail "faults without a key: 401 expected, got $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "${AUTH[@]}" "$API/__sandbox/faults" \
  -d '{"method": "GET", "path": "/packs", "kind": "status", "status": 503, "times": 1}')
[ "$code" = 201 ] || fail "faults: 201 expected, got $code"
code=$(curl -s -o /dev/null -w '%{http_code}' "${AUTH[@]}" "$API/packs")
[ "$code" = 503 ] || fail "the fault: 503 expected, got $code"
echo "ok - test controls behind the key"

# fal queue
submit=$(curl -sf -X POST -H "Authorization: Key $API_KEY" -H "Content-Type: application/json" \
  --data '{"prompt": "Man cyberpunk, synthwave night city"}' "$API/fal-ai/ip-adapter-face-id")
check "fal submit" "$submit" 'has("request_id") and has("status_url") and has("response_url") and has("cancel_url")'
status_url=$(echo "$submit" | jq -r .status_url)
check "fal status" "$(curl -s -H "Authorization: Key $API_KEY" "$status_url")" '.status | IN("IN_QUEUE", "IN_PROGRESS", "COMPLETED")'

