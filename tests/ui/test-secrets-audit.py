#!/usr/bin/python3
# test-secrets-audit.py: the keys never leave the keyring
#
# Runs the real app with a recognisable fake Astria key and fake fal.ai
# key through every screen, with G_MESSAGES_DEBUG=all and its output
# captured, then searches for the keys in:
#   - the app's output (stdout and stderr, every run),
#   - `gsettings list-recursively` in the app's settings backend (the
#     keyfile backend, so settings are on disk in the isolated HOME),
#   - every regular file under the isolated HOME, XDG data, cache, config
#     and runtime folders and TMPDIR (binary files too),
# each key as it is, URL-encoded (quote and quote_plus), in base64 (at
# each of the 3 alignments, standard and URL-safe), in hex, and its random
# core alone. It prints `secrets-audit: 0 hits` when nothing is found,
# else every hit (where, byte offset, which key masked, which form).
#
# The search proves itself in every run: afterwards it plants the Astria
# key raw in a binary file under the data folder, the fal key base64'd
# under the cache folder and URL-encoded under the config folder, and
# must find exactly those 3 hits.
#
#   run-with-keyring.sh /usr/bin/python3 test-secrets-audit.py ATELIER SANDBOX_SERVER
#
# run-with-keyring.sh gives it a display, a private D-Bus session with an
# unlocked gnome-keyring in a fresh XDG_DATA_HOME, and fresh XDG folders.
# Two standalone sandbox servers stand for the services, outside those
# folders: one for Astria ($ATELIER_ASTRIA_URL) accepting only the fake
# Astria key, one for fal.ai ($ATELIER_FAL_URL) accepting only the fake
# fal key (a server takes one key). The keys are entered as a user does,
# in Preferences (typed into the rows over AT-SPI, Apply), which checks
# each against its server and stores it in the keyring; the app is then
# started a second time, to take the keys from the keyring. The walk
# reuses the AT-SPI reader of test-atspi-names.py.
#
# Output is TAP; it exits 77 (a skip) only without a display. To look at
# a failed walk: ATELIER_AUDIT_SHOTS=DIR saves screenshots of the file
# choosers (ImageMagick's import), ATELIER_AUDIT_DUMP=FILE the main
# window's tree when FaceID's Generate stays disabled.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import base64
import binascii
import importlib.util
import os
import re
import secrets
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location('atspi_names', os.path.join(HERE, 'test-atspi-names.py'))
atspi = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(atspi)

Failure = atspi.Failure
wait_for = atspi.wait_for
log = atspi.log

# Recognisable fakes, random each run: an Astria key (sd_…) and a fal.ai
# key (KEY_ID:KEY_SECRET, so that URL-encoding changes it).
ASTRIA_CORE = secrets.token_hex(12)
FAL_CORE = secrets.token_hex(12)
ASTRIA_KEY = 'sd_AUDITKEY7f3a9c' + ASTRIA_CORE
FAL_KEY = 'fal-AUDITKEY-5b1e:' + FAL_CORE + 'c0ffee'
KEYS = {'astria': (ASTRIA_KEY, ASTRIA_CORE), 'fal': (FAL_KEY, FAL_CORE)}


def mask(key):
    return key[:6] + '…' + key[-2:]


# {{{ The search

def base64_forms(data):
    """What base64 of anything holding @data shows of it, at each of the 3
    alignments: the characters made of @data's bytes alone."""
    out = set()
    for pad in range(3):
        encoded = base64.b64encode(b'\0' * pad + data)
        start = -(-pad * 4 // 3)
        end = (pad + len(data)) * 4 // 3
        piece = encoded[start:end]
        out.add(piece)
        out.add(piece.replace(b'+', b'-').replace(b'/', b'_'))
    return out


def needles():
    """(bytes, key name, form) for each form of each key."""
    out = []
    for name, (key, core) in KEYS.items():
        raw = key.encode()
        forms = {raw: 'raw'}
        for quoted, form in ((urllib.parse.quote(key, safe=''), 'URL-encoded'),
                             (urllib.parse.quote_plus(key), 'URL-encoded'),
                             (urllib.parse.quote(key, safe='').lower(), 'URL-encoded')):
            forms.setdefault(quoted.encode(), form)
        for piece in base64_forms(raw):
            forms.setdefault(piece, 'base64')
        forms.setdefault(binascii.hexlify(raw), 'hex')
        forms.setdefault(binascii.hexlify(raw).upper(), 'hex')
        forms.setdefault(core.encode(), 'its random core')
        out += [(data, name, form) for data, form in forms.items()]
    return out


NEEDLES = needles()


def search_bytes(where, data, hits):
    """Adds (where, offset, key, form) for each place a needle is in
    @data; a hit inside a longer one (the core inside the raw key) counts
    once."""
    found = []
    for needle, name, form in NEEDLES:
        start = 0
        while True:
            i = data.find(needle, start)
            if i < 0:
                break
            found.append((i, i + len(needle), name, form))
            start = i + 1
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    end = -1
    for begin, stop, name, form in found:
        if begin < end:
            continue
        end = stop
        hits.append((where, begin, name, form))


def search_tree(root, hits, seen, names=None):
    """Every regular file under @root (symbolic links not followed)."""
    count = 0
    for folder, dirs, files in os.walk(root, followlinks=False):
        for name in files:
            path = os.path.join(folder, name)
            try:
                info = os.lstat(path)
            except OSError:
                continue
            if not stat.S_ISREG(info.st_mode) or (info.st_dev, info.st_ino) in seen:
                continue
            seen.add((info.st_dev, info.st_ino))
            try:
                with open(path, 'rb') as f:
                    data = f.read()
            except OSError as e:
                log('cannot read %s: %s' % (path, e))
                continue
            count += 1
            if names is not None:
                names.append('%s (%d bytes)' % (path, len(data)))
            search_bytes(path, data, hits)
    return count


def describe(hit):
    where, offset, name, form = hit
    return '%s at byte %d: the %s key %s (%s)' % (where, offset, name, mask(KEYS[name][0]), form)

# }}}
# {{{ The services and the app


class Audit(atspi.Processes):
    def __init__(self, atelier, sandbox_server):
        super().__init__()
        self.atelier = atelier
        self.sandbox_server = sandbox_server
        # Outside every folder searched: the services, the logs.
        self.outside = tempfile.mkdtemp(prefix='atelier-audit-')
        self.logs = []
        self.home = os.path.join(tempfile.mkdtemp(prefix='atelier-audit-home-'))
        self.tmp = os.path.join(self.home, 'tmp')
        os.makedirs(self.tmp)
        self.roots = [self.home]
        for var in ('XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'XDG_RUNTIME_DIR'):
            if os.environ.get(var):
                self.roots.append(os.environ[var])
        self.data_home = os.environ.get('XDG_DATA_HOME') or os.path.join(self.home, '.local', 'share')
        self.config_home = os.environ.get('XDG_CONFIG_HOME') or os.path.join(self.home, '.config')
        self.cache_home = os.environ.get('XDG_CACHE_HOME') or os.path.join(self.home, '.cache')

    # The services

    def serve(self, name, key):
        data = os.path.join(self.outside, name)
        os.makedirs(data)
        out = open(os.path.join(self.outside, name + '.log'), 'w')
        proc = self.spawn([self.sandbox_server, '--port', '0', '--data-dir', data, '--api-key', key,
                           '--no-test-controls', '--prompt-delay-ms', '0', '--training-delay-ms', '0',
                           '--fal-delay-ms', '300', '--image-size', '64'], stdout=out, stderr=subprocess.STDOUT)

        def url():
            if proc.poll() is not None:
                raise Failure('the %s sandbox server exited with %d' % (name, proc.returncode))
            with open(out.name) as f:
                match = re.search(r'listening on (http://\S+)', f.read())
            return match and match.group(1).rstrip('/')
        return wait_for('the %s sandbox server' % name, url)

    def start(self):
        os.environ['HOME'] = self.home
        self.spawn([atspi.find_bus_launcher(), '--launch-immediately'],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for('the accessibility bus', atspi.Session.a11y_bus_address)
        self.astria_url = self.serve('astria', ASTRIA_KEY)
        self.fal_url = self.serve('fal', FAL_KEY)
        # A trained tune with a finished prompt, on the Astria server.
        atspi.seed_ada(atspi.sandbox_caller(self.astria_url, ASTRIA_KEY))

    def env(self):
        env = dict(os.environ,
                   HOME=self.home,
                   TMPDIR=self.tmp,
                   GTK_A11Y='atspi',
                   GDK_BACKEND='x11',
                   GSETTINGS_BACKEND='keyfile',
                   G_MESSAGES_DEBUG='all',
                   ATELIER_ASTRIA_URL=self.astria_url,
                   ATELIER_FAL_URL=self.fal_url)
        env.pop('NO_AT_BRIDGE', None)
        return env

    def launch(self):
        """The app, its output to a log of its own (outside the folders
        searched)."""
        self.app_log = os.path.join(self.outside, 'app-%d.log' % (len(self.logs) + 1))
        self.logs.append(self.app_log)
        self.launch_app([self.atelier], self.env())
        self.check_app()

    def quit(self, app):
        """Closes the main window as a user does; the app exits."""
        try:
            app.window('Atelier').do('window.close')
        except (Failure, atspi.GLib.Error):
            pass  # the app may exit before it answers
        try:
            self.app.wait(20)
        except subprocess.TimeoutExpired:
            log('the app did not quit when its window closed: SIGTERM')
            self.app.send_signal(signal.SIGTERM)
            self.app.wait(10)

    def stop(self):
        super().stop()
        shutil.rmtree(self.outside, ignore_errors=True)

    # The search

    def gsettings(self):
        env = self.env()
        out = subprocess.run(['gsettings', 'list-recursively'], env=env, capture_output=True, timeout=60)
        if out.returncode != 0:
            raise Failure('gsettings list-recursively: %s' % out.stderr.decode(errors='replace'))
        return out.stdout

    def search(self, names=None):
        """Every hit, and how many files were read."""
        hits = []
        seen = set()
        files = 0
        for root in self.roots:
            files += search_tree(root, hits, seen, names)
        for path in self.logs:
            with open(path, 'rb') as f:
                search_bytes('the app\'s output (%s)' % os.path.basename(path), f.read(), hits)
        search_bytes('gsettings list-recursively', self.gsettings(), hits)
        return hits, files

# }}}
# {{{ The walk


def write_png(path):
    atspi.write_png(path, 640, 640)


def shot(name):
    if os.environ.get('ATELIER_AUDIT_SHOTS'):
        subprocess.run(['import', '-window', 'root', os.path.join(os.environ['ATELIER_AUDIT_SHOTS'], name + '.png')],
                       stderr=subprocess.DEVNULL)


def x_shown(title):
    """Whether an X window titled @title is shown, without waiting."""
    out = subprocess.run(['xdotool', 'search', '--onlyvisible', '--name', '^%s$' % title],
                         capture_output=True, text=True, timeout=10)
    return bool(out.stdout.split())


def choose_file(app, dialog_title, path):
    """A file through GTK's file chooser, typed as a path."""
    app.x_window(dialog_title)
    app.key(dialog_title, 'ctrl+l')
    app.xdotool('type', '--delay', '5', path)
    shot(dialog_title + '-typed')
    # Opened on Recent, the first Return may only select the file.
    for _ in range(3):
        app.key(dialog_title, 'Return')
        time.sleep(0.7)
        if not x_shown(dialog_title):
            break
    shot(dialog_title + '-after')


def wait_window(app, name):
    """The new toplevel titled @name (a regular expression), read."""
    wait_for("a window named '%s'" % name,
             lambda: atspi.find_node(app.toplevels().children, None, name), timeout=20)
    return app.window(name)


def open_preferences(app):
    app.click('push button', 'Main Menu', 'Atelier', remember=True)
    app.click('menu item', 'Preferences', 'Atelier')
    return wait_window(app, 'Preferences')


VERIFIED = 'Key verified and saved in your keyring'


def enter_key(app, row, key, verified):
    """Types @key into the key row @row of Preferences, as a user does,
    applies it, and waits until its status is one of @verified."""
    app.click_at(app.find('text', row, window='Preferences'))
    app.set_text('text', row, key, 'Preferences')
    app.click('push button', 'Apply', 'Preferences')

    def done():
        # The status row follows the key's row.
        labels = [n.name for n in app.window('Preferences').walk() if n.role == 'label' and n.name]
        at = max(i for i, name in enumerate(labels) if name == row)
        return labels[at + 1] in verified if at + 1 < len(labels) else None
    try:
        wait_for('%s: %s' % (row, VERIFIED), done, timeout=30)
    except Failure:
        labels = [n.name for n in app.window('Preferences').walk() if n.role == 'label' and n.name]
        raise Failure('%s was not verified; Preferences shows: %s' % (row, ' | '.join(labels)))


def library_made(audit):
    """FaceID results kept in the library (negative ids)."""
    root = os.path.join(audit.data_home, 'atelier', 'library')
    found = []
    for folder, dirs, files in os.walk(root):
        if re.fullmatch(r'-\d+', os.path.basename(folder)) and 'prompt.json' in files:
            found.append(folder)
    return found


class Steps:
    def __init__(self):
        self.results = []

    def run(self, title, func):
        started = time.monotonic()
        try:
            func()
            self.results.append((title, True, []))
        except (Failure, atspi.GLib.Error) as e:
            self.results.append((title, False, [str(e)]))
        log('%s: %.1f s' % (title, time.monotonic() - started))


def first_run(audit, app, steps):
    """The keys, entered in Preferences."""
    def keys():
        app.find('push button', 'Main Menu', window='Atelier', timeout=30)
        prefs = open_preferences(app)
        enter_key(app, 'Astria API Key', ASTRIA_KEY, (VERIFIED, 'Connected with the key in your keyring'))
        enter_key(app, 'fal.ai Key', FAL_KEY, (VERIFIED, 'Using the fal.ai key in your keyring'))
        app.close(prefs)
        # The account's tunes: the Astria key was accepted by its server.
        app.find('list item', 'Ada Lovelace', window='Atelier', timeout=30)
    steps.run('Preferences: both keys entered, checked and stored', keys)


def second_run(audit, app, steps):
    """Every screen, with the keys from the keyring."""
    pages = atspi.Pages(app)
    photo = os.path.join(audit.home, 'Pictures', 'audit-face.png')
    os.makedirs(os.path.dirname(photo), exist_ok=True)
    write_png(photo)

    def tunes():
        app.find('list item', 'Ada Lovelace', window='Atelier', timeout=30)
        app.click_at(app.find('list item', 'Ada Lovelace', window='Atelier'))
        app.find('push button', 'Delete Tune', window='Atelier')
    steps.run('Tunes: the account\'s tunes (keys from the keyring) and a tune', tunes)

    def prompt_editor():
        app.click('push button', '.*New Prompt', 'Atelier')
        editor = wait_window(app, 'New Prompt')
        app.find('text', 'Prompt.*', window='New Prompt')
        app.close(editor)
    steps.run('Prompt editor', prompt_editor)

    def new_tune():
        app.click('push button', '.*Tunes', 'Atelier')
        app.click('push button', 'New Tune', 'Atelier')
        app.find('push button', '.*Create Tune', window='Atelier')
        app.click('push button', '.*Add Photos…', 'Atelier')
        choose_file(app, 'Add Training Photos', photo)
        app.find('table cell', 'audit-face.png', window='Atelier', timeout=20)
        app.click('push button', '.*Tunes', 'Atelier')
    steps.run('New Tune editor, with a photo (a draft on disk)', new_tune)

    def gallery():
        app.click('page tab', 'Gallery', 'Atelier', remember=True)
        part = pages.part('search prompts', 'search tunes')
        page = wait_for('the gallery\'s images', lambda: (lambda p: p if [
            n for n in p.walk() if n.role in ('table cell', 'list item')
            or (n.role == 'push button' and any(c.role == 'image' for c in n.walk()))] else None)(part()[0]))
        grid = [n for n in page.walk() if n.role in ('table', 'list', 'tree table')]
        cells = [n for g in grid for n in g.walk() if n.role == 'push button'
                 and any(c.role == 'image' for c in n.walk()) and not any(c.role == 'label' for c in n.walk())]
        cells += [n for g in grid for n in g.children if n.role in atspi.ITEM_ROLES]
        if not cells:
            raise Failure('the gallery shows no image to open')
        before = {w.ref for w in app.toplevels().children}
        cell = cells[0]
        if set(cell.actions) & set(atspi.CLICK_ACTIONS):
            cell.do(*atspi.CLICK_ACTIONS)
        else:
            app.click_at(cell)
        viewer = wait_for('the viewer', lambda: [w for w in app.toplevels().children if w.ref not in before])
        time.sleep(1)
        app.close(app.again(viewer[0]))
    steps.run('Gallery with a prompt, and the viewer', gallery)

    def packs():
        app.click('page tab', 'Packs', 'Atelier', remember=True)
        pages.part('packs', 'search tunes')()
    steps.run('Packs', packs)

    def faceid():
        app.click('page tab', 'FaceID', 'Atelier', remember=True)
        app.click('push button', '.*Choose Photos…', 'Atelier')
        choose_file(app, 'Choose Photos of the Face', photo)

        def in_faceid(role, name, acts=False):
            return wait_for('%s %s on the FaceID page' % (role, name), lambda: atspi.find_node(
                [n for part in pages.faceid() for n in part.walk()], role, name, acts))
        prompt = in_faceid('text', 'Prompt.*')
        app.bus.call(prompt.ref, 'org.a11y.atspi.EditableText', 'SetTextContents',
                     atspi.GLib.Variant('(s)', ('ohwx woman, a portrait for the audit',)))
        try:
            wait_for('Generate to be enabled', lambda: in_faceid('push button', '.*Generate', True).sensitive,
                     timeout=30)
        except Failure:
            labels = [n.name for part in pages.faceid() for n in part.walk() if n.role == 'label' and n.name]
            if os.environ.get('ATELIER_AUDIT_DUMP'):
                with open(os.environ['ATELIER_AUDIT_DUMP'], 'w') as out:
                    atspi.dump(app.window('Atelier'), out)
            raise Failure('Generate stayed disabled; the FaceID page shows: ' + ' | '.join(labels))
        in_faceid('push button', '.*Generate', True).do(*atspi.CLICK_ACTIONS)
        # Done when the picture is kept in the library.
        wait_for('the FaceID picture in the library', lambda: library_made(audit), timeout=60)
    steps.run('FaceID: a picture generated through fal.ai', faceid)

    def preferences():
        prefs = open_preferences(app)
        app.find('label', 'Connected with the key in your keyring', window='Preferences')
        app.find('label', 'Using the fal.ai key in your keyring', window='Preferences')
        # Shown, as a user may do (the text is in the widget, not on disk).
        app.close(prefs)
    steps.run('Preferences, with the keys from the keyring', preferences)

    def about():
        app.click('push button', 'Main Menu', 'Atelier', remember=True)
        app.click('menu item', 'About Atelier', 'Atelier')
        window = wait_window(app, 'About.*')
        app.find('list item', 'Credits', window='About.*')
        app.close(window)
    steps.run('About', about)

    def shortcuts():
        app.click('push button', 'Main Menu', 'Atelier', remember=True)
        app.click('menu item', 'Keyboard Shortcuts', 'Atelier')
        app.close(wait_window(app, '.*Shortcuts.*'))
    steps.run('Keyboard Shortcuts', shortcuts)

# }}}


def main():
    if len(sys.argv) != 3:
        print('usage: test-secrets-audit.py ATELIER SANDBOX_SERVER', file=sys.stderr)
        return 2
    if not os.environ.get('DISPLAY'):
        print('1..0 # SKIP no display')
        return 77

    started = time.monotonic()
    audit = Audit(*sys.argv[1:])
    steps = Steps()
    results = []
    try:
        audit.start()
        for run in (first_run, second_run):
            audit.launch()
            app = atspi.App(audit)
            run(audit, app, steps)
            audit.quit(app)
            if audit.app.returncode not in (0, -signal.SIGTERM):
                steps.results.append(('the app exited cleanly', False,
                                      ['exit status %d' % audit.app.returncode]))

        names = []
        hits, files = audit.search(names)
        for name in names:
            log('searched ' + name)
        # The keys are in the keyring, encrypted (searched too).
        if not os.path.exists(os.path.join(audit.data_home, 'keyrings', 'login.keyring')):
            steps.results.append(('the keys are in the login keyring', False, ['no login.keyring']))
        log('searched %d files under %s, %d app logs (%d bytes) and gsettings, for %d forms of 2 keys'
            % (files, ', '.join(audit.roots), len(audit.logs),
               sum(os.path.getsize(p) for p in audit.logs), len(NEEDLES)))
        lines = [describe(h) for h in hits]
        print('# secrets-audit: %d hits' % len(hits), flush=True)
        results.append(('secrets-audit: %d hits' % len(hits), not hits, lines))

        # The self-check: planted, each must be found, and nothing else.
        planted = [
            (os.path.join(audit.data_home, 'atelier', 'audit-planted.bin'),
             os.urandom(100) + ASTRIA_KEY.encode() + os.urandom(100)),
            (os.path.join(audit.cache_home, 'audit-planted.txt'),
             b'x' + base64.b64encode(b'Authorization: Key ' + FAL_KEY.encode())),
            (os.path.join(audit.config_home, 'audit-planted.ini'),
             b'url=https://x/?key=' + urllib.parse.quote(FAL_KEY, safe='').encode() + b'\n'),
        ]
        for path, data in planted:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, 'wb') as f:
                f.write(data)
        # And a log line, as a g_debug() of a header would print it.
        planted_log = os.path.join(audit.outside, 'app-planted.log')
        with open(planted_log, 'w') as f:
            f.write('(atelier:1): Atelier-DEBUG: 09:00:00.000: GET /tunes\nAuthorization: Bearer %s\n' % ASTRIA_KEY)
        audit.logs.append(planted_log)
        again, _ = audit.search()
        audit.logs.remove(planted_log)
        new = [h for h in again if h not in hits]
        where = sorted({h[0] for h in new})
        expected = sorted([p for p, _ in planted] + ["the app's output (app-planted.log)"])
        ok = len(new) == 4 and where == expected
        results.append(('self-check: 4 planted keys found (raw, base64, URL-encoded, in a log), %d hits'
                        % len(new), ok, [describe(h) for h in new]))
        for path, _ in planted:
            os.unlink(path)
    except Failure as e:
        results.append(('setting up: %s' % e, False, []))
    finally:
        all_results = steps.results + results
        print('1..%d' % len(all_results))
        failed = 0
        for i, (title, ok, lines) in enumerate(all_results, 1):
            for line in lines:
                print('# ' + line)
            print('%s %d - %s' % ('ok' if ok else 'not ok', i, title), flush=True)
            failed += not ok
        if failed:
            for line in audit.app_output().splitlines()[-40:]:
                print('# app: ' + line)
        audit.stop()
        log('took %.1f s' % (time.monotonic() - started))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
