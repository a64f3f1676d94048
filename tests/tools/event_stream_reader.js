// Reads one Server-Sent Events stream with the npm `eventsource` package,
// as a browser's EventSource would: node event_stream_reader.js URL TOKEN
// [EVENT_NAME...]. Prints each event it gets as one JSON line
// {"id", "event", "data"} and ends once an event named `tenant migrated`
// arrives (the last of an operation's stream). The client reconnects by
// itself when the connection drops, sending Last-Event-ID.
const EventSource = require('eventsource');

const [url, token, ...names] = process.argv.slice(2);
const es = new EventSource(url, { headers: { 'X-Auth-Token': token } });
const last = 'tenant migrated';
const print = (name, e) => {
  process.stdout.write(JSON.stringify({ id: e.lastEventId, event: name, data: JSON.parse(e.data) }) + '\n');
  if (name === last) {
    es.close();
    process.exit(0);
  }
};
for (const name of new Set([...names, last]))
  if (name !== 'error')
    es.addEventListener(name, (e) => print(name, e));
// `error` is both a name the stream uses (an event with data) and the
// client's own report of a failed connection (none).
es.addEventListener('error', (e) => {
  if (e.data !== undefined)
    return print('error', e);
  if (e.status) {  // an HTTP error, not a dropped connection (which it retries)
    process.stderr.write('error ' + e.status + '\n');
    process.exit(1);
  }
});
