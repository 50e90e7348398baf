#!/usr/bin/python3
# test-atspi-names.py: what a screen reader hears
#
# Starts the real app in its in-app Sandbox with an accessibility bus of
# its own, opens each page, window, popover and menu a user can reach,
# and reads the accessibility tree over AT-SPI, as Orca does. Every
# control (push, toggle and menu button, check box, radio button, combo
# box, entry, text, slider, spin button, link, menu item, page tab, list
# item or table cell that takes the focus) must have a name a person can
# understand: not empty, and not a type name (GTK 4.8 names an unlabelled
# widget after its type, "GtkImage", "GtkMenuButton"; a tooltip is not a
# name). A failure lists the control's role, name and path of parents.
#
#   run-with-keyring.sh /usr/bin/python3 test-atspi-names.py ATELIER SANDBOX_SERVER
#
# run-with-keyring.sh gives it a display (Xvfb when there is none), a
# private D-Bus session with an unlocked gnome-keyring, and fresh XDG
# folders; HOME is a fresh folder too. It starts at-spi2-core's bus
# launcher, then the app with GTK_A11Y=atspi, and reads the tree over the
# accessibility bus with the AT-SPI D-Bus interfaces, which libatspi and
# pyatspi wrap (see "Reading the tree"), naming roles and states as
# libatspi does. It needs Debian's /usr/bin/python3 with python3-gi and
# gir1.2-atspi-2.0, and xdotool for what only a mouse or keyboard does
# (a row of a list, Escape, a path typed in GTK's file chooser). Output
# is TAP, one test per page, window or popover; it exits 77 (a skip) only
# without a display.
#
# Before the app starts, the project's own atelier-sandbox-server, run on
# the app's sandbox folder, makes two trained tunes and a finished prompt
# over the Astria API and saves its state, which the in-app Sandbox then
# loads: the lists have rows and the editors have choices.
#
# To look at what it reads: ATELIER_ATSPI_DUMP=DIR writes the tree of
# each step there, and a screenshot (ImageMagick's import);
# ATELIER_ATSPI_TIMES=1 logs how long each read of the tree takes.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request
import zlib

import gi
gi.require_version('Atspi', '2.0')
from gi.repository import Atspi, Gio, GLib  # noqa: E402

# A name no person should hear: empty, or the type name GTK falls back to.
BAD_NAME = re.compile(r'^(Gtk|Adw)[A-Z]')

# Roles of controls: what a user reaches and acts on.
CONTROL_ROLES = {
    'push button', 'toggle button', 'check box', 'radio button',
    'combo box', 'entry', 'text', 'password text', 'slider',
    'spin button', 'link', 'menu item', 'check menu item',
    'radio menu item', 'page tab', 'switch',
}
# These are controls when they take the focus or can be acted on (rows
# of a list a user activates), not when they only show something.
ITEM_ROLES = {'list item', 'table cell', 'tree item'}


def shows_text(node):
    return any(n.role == 'label' and n.name.strip() for n in node.walk())


def combo_list_row(node):
    """The rows of the lists inside a combo box (AdwComboRow, GtkDropDown):
    the list of choices in its popover, and the list of one row that shows
    the current choice (made with can-focus and can-target off: only the
    combo box itself is reached there). Each row is a GtkListItemWidget of
    GTK, which GTK 4.8 reports as a focusable list item with no name,
    whatever its child shows, and which an app cannot name: a GtkListItem
    has no accessible label before GTK 4.12
    (gtk_list_item_set_accessible_label()). Only such rows, and only when
    they show text (a screen reader reads it from the child label): a list
    item in a list that is inside a combo box.

    With GTK 4.12 a factory can name these rows; until then they are
    the one thing of the libraries this test lets pass."""
    if node.role != 'list item' or node.parent is None or node.parent.role != 'list':
        return False
    if not shows_text(node):
        return False
    return any(up.role == 'combo box' for up in node.parent.ancestors())


# Controls inside libadwaita or GTK that the app cannot name, each a
# function that recognises exactly that kind of widget, with why. Keep it
# to what was checked one by one, never a widget of the app's own.
LIBRARY_EXCEPTIONS = [combo_list_row]

CLICK_ACTIONS = ('click', 'press', 'activate', 'toggle')
TIMEOUT = 15  # seconds for any one thing to appear


def log(*args):
    print('#', *args, flush=True)


class Failure(Exception):
    pass


def wait_for(what, func, timeout=TIMEOUT, interval=0.1):
    """What @func returns once it is true; a D-Bus error (something that
    went away while read) is tried again."""
    end = time.monotonic() + timeout
    error = None
    while True:
        try:
            value = func()
        except GLib.Error as e:
            value, error = None, e
        if value:
            return value
        if time.monotonic() > end:
            raise Failure('timed out waiting for %s%s' % (what, ' (%s)' % error.message if error else ''))
        time.sleep(interval)


def find_bus_launcher():
    for path in ('/usr/libexec/at-spi-bus-launcher',
                 '/usr/lib/at-spi2-core/at-spi-bus-launcher'):
        if os.access(path, os.X_OK):
            return path
    found = shutil.which('at-spi-bus-launcher')
    if found is None:
        raise Failure('at-spi-bus-launcher is missing: install at-spi2-core (build-aux/setup.sh)')
    return found


# {{{ The session: accessibility bus, sandbox data, the app


def sandbox_caller(base, key):
    """A function calling the sandbox server at @base with @key: JSON in
    and out."""
    def call(method, path, body=None):
        request = urllib.request.Request(base + path, method=method,
                                         data=json.dumps(body).encode() if body else None,
                                         headers={'Authorization': 'Bearer ' + key,
                                                  'Content-Type': 'application/json'})
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.load(answer)
    return call


def seed_ada(call):
    """A trained tune with a finished prompt, through @call."""
    tune = call('POST', '/tunes', {'tune': {
        'title': 'Ada Lovelace', 'name': 'woman', 'branch': 'fast',
        'image_urls': ['https://example.com/ada-%d.jpg' % i for i in range(4)]}})
    call('POST', '/tunes/%d/prompts' % tune['id'], {'prompt': {
        'text': 'ohwx woman, portrait in a sunlit studio', 'num_images': 2}})
    return tune


class Processes:
    """The processes of a run, each in a process group of its own, and the
    app among them, its output in self.app_log. Subclasses set self.home,
    removed at stop()."""

    def __init__(self):
        self.procs = []
        self.app = None
        self.app_log = None

    def spawn(self, argv, **kwargs):
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, start_new_session=True, **kwargs)
        self.procs.append(proc)
        return proc

    def launch_app(self, argv, env):
        """Starts the app. Seen twice in CI, never on demand: the app's
        first display connection refused, gtk_init_check() failing at
        once. That is not what these tests check: start it again then (at
        most twice), and say so."""
        for attempt in range(3):
            with open(self.app_log, 'w') as out:
                self.app = self.spawn(argv, env=env, stdout=out, stderr=subprocess.STDOUT)
            try:
                self.app.wait(2)
            except subprocess.TimeoutExpired:
                return
            if not re.search('GDK_IS_DISPLAY|could not open the display', self.app_output()) or attempt == 2:
                return
            print('# the app could not open the display %s (exit %d): starting it again'
                  % (os.environ.get('DISPLAY'), self.app.returncode), flush=True)

    def check_app(self):
        if self.app is not None and self.app.poll() is not None:
            raise Failure('the app exited with %d' % self.app.returncode)

    def app_output(self):
        if self.app_log is None:
            return ''
        try:
            with open(self.app_log, errors='replace') as f:
                return f.read()
        except OSError:
            return ''

    def stop(self):
        for proc in reversed(self.procs):
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                    proc.wait(5)
                except Exception:
                    try:
                        os.killpg(proc.pid, signal.SIGKILL)
                        proc.wait(5)
                    except Exception:
                        pass
        shutil.rmtree(self.home, ignore_errors=True)

class Session(Processes):
    """An accessibility bus, sandbox data and the app, for one run."""

    def __init__(self, atelier, sandbox_server):
        super().__init__()
        self.atelier = atelier
        self.sandbox_server = sandbox_server
        self.home = tempfile.mkdtemp(prefix='atelier-atspi-home-')
        self.data_home = os.environ.get('XDG_DATA_HOME') or os.path.join(self.home, '.local', 'share')
        self.sandbox_dir = os.path.join(self.data_home, 'atelier', 'sandbox')
        self.app_log = os.path.join(self.home, 'atelier.log')

    def start(self):
        os.environ['HOME'] = self.home
        os.environ.setdefault('XDG_DATA_HOME', self.data_home)
        # The bus launcher starts the accessibility bus and the registry,
        # and publishes the bus on the session bus as org.a11y.Bus.
        self.spawn([find_bus_launcher(), '--launch-immediately'],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for('the accessibility bus', self.a11y_bus_address)
        self.seed_sandbox()

        env = dict(os.environ,
                   GTK_A11Y='atspi',
                   GDK_BACKEND='x11',
                   GSETTINGS_BACKEND='memory')
        env.pop('NO_AT_BRIDGE', None)
        self.launch_app([self.atelier], env)

    @staticmethod
    def a11y_bus_address():
        """Whether the launcher has its name on the session bus (asked
        without activating the service, which would start a second one)."""
        out = subprocess.run(['dbus-send', '--session', '--print-reply=literal',
                              '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus',
                              'org.freedesktop.DBus.NameHasOwner', 'string:org.a11y.Bus'],
                             capture_output=True, text=True, timeout=5)
        return out.returncode == 0 and 'true' in out.stdout

    def seed_sandbox(self):
        """A trained tune with finished prompts, saved in the app's sandbox folder."""
        os.makedirs(self.sandbox_dir, exist_ok=True)
        server = subprocess.Popen([self.sandbox_server, '--port', '0', '--data-dir', self.sandbox_dir,
                                   '--api-key', 'atspi-test', '--prompt-delay-ms', '0',
                                   '--training-delay-ms', '0', '--image-size', '64'],
                                  stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True)
        try:
            line = server.stdout.readline()
            match = re.search(r'(http://\S+)', line)
            if match is None:
                raise Failure('the sandbox server said: ' + line)
            call = sandbox_caller(match.group(1).rstrip('/'), 'atspi-test')
            seed_ada(call)
            # A LoRA tune: the prompt editor offers its tag.
            call('POST', '/tunes', {'tune': {
                'title': 'Grace Hopper', 'name': 'woman', 'branch': 'flux1', 'model_type': 'lora',
                'image_urls': ['https://example.com/grace-%d.jpg' % i for i in range(4)]}})
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(10)
        if not os.path.exists(os.path.join(self.sandbox_dir, 'state.json')):
            raise Failure('the sandbox server saved no state')


# }}}
# {{{ Reading the tree
#
# The tree is read over the accessibility bus with the AT-SPI D-Bus
# interfaces themselves (what libatspi and pyatspi wrap for Orca), many
# calls in flight at once: GTK 4.8 offers no AT-SPI cache, and pyatspi's
# one call at a time per property made each read of the main window take
# over a second, and the test several minutes.

ACCESSIBLE = 'org.a11y.atspi.Accessible'
PROPERTIES = 'org.freedesktop.DBus.Properties'
REGISTRY_ROOT = ('org.a11y.atspi.Registry', '/org/a11y/atspi/accessible/root')


class Bus:
    """A connection to the accessibility bus."""

    def __init__(self):
        session = Gio.bus_get_sync(Gio.BusType.SESSION, None)
        address = session.call_sync('org.a11y.Bus', '/org/a11y/bus', 'org.a11y.Bus', 'GetAddress',
                                    None, GLib.VariantType('(s)'), Gio.DBusCallFlags.NONE, 5000, None).unpack()[0]
        self.conn = Gio.DBusConnection.new_for_address_sync(
            address,
            Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION,
            None, None)

    def call(self, ref, interface, method, args=None):
        return self.conn.call_sync(ref[0], ref[1], interface, method, args, None,
                                   Gio.DBusCallFlags.NONE, 5000, None).unpack()

    def calls(self, requests):
        """Many calls at once, (ref, interface, method, args) each: the
        answers in order, None for a call that failed."""
        results = [None] * len(requests)
        pending = [len(requests)]
        loop = GLib.MainLoop()

        def done(conn, result, i):
            try:
                results[i] = conn.call_finish(result).unpack()
            except GLib.Error:
                pass
            pending[0] -= 1
            if pending[0] == 0:
                loop.quit()

        for i, (ref, interface, method, args) in enumerate(requests):
            self.conn.call(ref[0], ref[1], interface, method, args, None,
                           Gio.DBusCallFlags.NONE, 5000, None, done, i)
        if requests:
            loop.run()
        return results

    def name(self, ref):
        return self.call(ref, PROPERTIES, 'Get', GLib.Variant('(ss)', (ACCESSIBLE, 'Name')))[0]

    def children(self, ref):
        return [tuple(c) for c in self.call(ref, ACCESSIBLE, 'GetChildren')[0]]


class Node:
    """One accessible as read at one time.

    GTK 4.8 leaves hidden widgets out of the tree but keeps every page of
    a stack in it, and sets no SHOWING state: what is on screen is found
    by where it is (see region()) and by what is new after a click, not by
    states."""

    def __init__(self, bus, ref, role, name, parent, index):
        self.bus = bus
        self.ref = ref
        self.role = role
        self._name = name          # None: not read yet
        self.parent = parent
        self.index = index
        self.children = []
        self._states = None
        self._actions = None

    @property
    def name(self):
        if self._name is None:
            try:
                self._name = self.bus.name(self.ref)
            except GLib.Error:
                self._name = ''
        return self._name

    def has_state(self, state):
        if self._states is None:
            try:
                words = self.bus.call(self.ref, ACCESSIBLE, 'GetState')[0]
                self._states = words[0] | (words[1] << 32)
            except GLib.Error:
                self._states = 0
        return bool(self._states & (1 << int(state)))

    @property
    def focusable(self):
        return self.has_state(Atspi.StateType.FOCUSABLE)

    @property
    def sensitive(self):
        return self.has_state(Atspi.StateType.SENSITIVE)

    @property
    def actions(self):
        """The names of its actions (GetName: GetActions gives them
        translated)."""
        if self._actions is None:
            try:
                n = self.bus.call(self.ref, PROPERTIES, 'Get',
                                  GLib.Variant('(ss)', ('org.a11y.atspi.Action', 'NActions')))[0]
                self._actions = [self.bus.call(self.ref, 'org.a11y.atspi.Action', 'GetName',
                                               GLib.Variant('(i)', (i,)))[0] for i in range(n)]
            except GLib.Error:
                self._actions = []
        return self._actions

    def extents(self):
        """x, y, width, height in its window."""
        return self.bus.call(self.ref, 'org.a11y.atspi.Component', 'GetExtents',
                             GLib.Variant('(u)', (int(Atspi.CoordType.WINDOW),)))[0]

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def is_within(self, other):
        return other is not None and (other is self or any(a is other for a in self.ancestors()))

    def window(self):
        """Its toplevel (the node below the application)."""
        chain = [self] + list(self.ancestors())
        return chain[-2] if len(chain) > 1 else self

    def label(self):
        return "%s '%s'" % (self.role, self.name) if self.name else self.role

    def path(self):
        """Where it is: its ancestors from the window down, unnamed panels
        and fillers (layout boxes) left out."""
        parts = [self.label()]
        for node in self.ancestors():
            if node.role == 'application':
                break
            if node.name or node.role not in ('panel', 'filler', 'scroll pane'):
                parts.append(node.label())
            elif parts[-1] != '…':
                parts.append('…')
        return ' > '.join(reversed(parts))

    def why_control(self):
        """Why a list item counts as a control."""
        if self.role not in ITEM_ROLES:
            return ''
        return ' (focusable)' if self.focusable else ' (actions: %s)' % ', '.join(self.actions)

    def near(self):
        """What is next to it, to find it on screen: the texts it shows, or
        else the texts and the named controls beside it."""
        shown = [n.name for n in self.walk() if n.role == 'label' and n.name.strip()]
        if shown:
            return '; shows: ' + ', '.join("'%s'" % t for t in shown[:3])
        found = []
        around = self.parent
        for _ in range(3):  # up to the box around the box around it
            if around is None or around.role in ('frame', 'dialog', 'window'):
                break
            for node in around.walk():
                if node is self or node.is_within(self) or not node.name or is_bad_name(node.name):
                    continue
                if (node.role == 'label' or is_control(node)) and node.label() not in found:
                    found.append(node.label())
            if found:
                break
            around = around.parent
        return ('; next to: ' + ', '.join(found[:3])) if found else ''

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def do(self, *names):
        """Runs the first of the actions @names it has."""
        for name in names:
            if name in self.actions:
                self.bus.call(self.ref, 'org.a11y.atspi.Action', 'DoAction',
                              GLib.Variant('(i)', (self.actions.index(name),)))
                return
        raise Failure('%s has none of the actions %s (it has %s)' % (self.path(), names, self.actions))


# Roles read without their children (GTK gives them none) or without
# their name (layout boxes: read when a path is written).
LEAF_ROLES = {'label', 'image', 'separator'}
UNNAMED_ROLES = {'panel', 'filler', 'scroll pane', 'scroll bar', 'separator', 'image'}


def read_tree(bus, ref, parent=None, index=0, depth=None):
    """The tree under @ref (down to @depth levels), one level at a time,
    the calls of a level all at once: the roles, then the children and
    names the roles call for. Its root hangs under @parent, a node of an
    earlier read, to say where it is."""
    def fetch(refs):
        roles = bus.calls([(ref, ACCESSIBLE, 'GetRole', None) for ref in refs])
        roles = [Atspi.role_get_name(Atspi.Role(r[0])) if r else None for r in roles]
        wanted = []
        for ref, role in zip(refs, roles):
            if role is not None and role not in LEAF_ROLES:
                wanted.append((ref, ACCESSIBLE, 'GetChildren', None))
            if role is not None and role not in UNNAMED_ROLES:
                wanted.append((ref, PROPERTIES, 'Get', GLib.Variant('(ss)', (ACCESSIBLE, 'Name'))))
        answers = iter(bus.calls(wanted))
        out = []
        for role in roles:
            children = next(answers) if role is not None and role not in LEAF_ROLES else None
            name = next(answers) if role is not None and role not in UNNAMED_ROLES else None
            out.append((role,
                        name[0] if name else (None if role in UNNAMED_ROLES else ''),
                        [tuple(c) for c in children[0]] if children else []))
        return out

    (role, name, children), = fetch([ref])
    if role is None:
        raise Failure('%s is gone' % (ref,))
    root = Node(bus, ref, role, name, parent, index)
    level = [(root, children)]
    while level and (depth is None or depth > 0):
        depth = None if depth is None else depth - 1
        refs = [(parent, i, child) for parent, children in level for i, child in enumerate(children)]
        answers = fetch([child for _, _, child in refs])
        level = []
        for (parent, i, child), (role, name, children) in zip(refs, answers):
            if role is None:
                continue  # gone while reading
            node = Node(bus, child, role, name, parent, i)
            parent.children.append(node)
            level.append((node, children))
    return root


def is_control(node):
    if node.role in CONTROL_ROLES:
        return True
    return node.role in ITEM_ROLES and (node.focusable or bool(node.actions))


def is_bad_name(name):
    return name.strip() == '' or BAD_NAME.match(name) is not None


def find_node(nodes, role, name, acts=False):
    rx = re.compile(name) if name is not None else None
    for node in nodes:
        if role is not None and node.role != role:
            continue
        if rx is not None and not rx.fullmatch(node.name):
            continue
        if acts and not set(node.actions) & set(CLICK_ACTIONS):
            continue
        return node
    return None


def lowest_common_ancestor(a, b):
    mine = [a] + list(a.ancestors())
    for node in [b] + list(b.ancestors()):
        if any(node is m for m in mine):
            return node
    return None


def region(anchor, other):
    """The part of the window @anchor is in, as against @other: of their
    lowest common ancestor (a stack, for pages), the child that holds
    @anchor."""
    common = lowest_common_ancestor(anchor, other)
    if common is None or common is anchor:
        raise Failure('%s and %s share no stack' % (anchor.path(), other.path()))
    return next(c for c in common.children if anchor.is_within(c))


def dump(node, out, depth=0):
    acts = ' [%s]' % ', '.join(node.actions) if node.actions and node.role != 'label' else ''
    out.write('  ' * depth + node.label() + acts + '\n')
    for child in node.children:
        dump(child, out, depth + 1)

# }}}
# {{{ The app as a user sees it


class App:
    def __init__(self, session):
        self.session = session
        self.bus = Bus()
        self.ref = None
        self.remembered = {}
        self.reads = 0
        self.read_time = 0

    def find_app(self):
        """The app among those the registry knows, once it has a window."""
        self.session.check_app()
        for ref in self.bus.children(REGISTRY_ROOT):
            try:
                if self.bus.name(ref) == 'atelier' and self.bus.children(ref):
                    return ref
            except GLib.Error:
                pass
        return None

    def read(self, ref, parent=None, index=0, depth=None):
        self.session.check_app()
        started = time.monotonic()
        tree = read_tree(self.bus, ref, parent, index, depth)
        took = time.monotonic() - started
        self.reads += 1
        self.read_time += took
        if os.environ.get('ATELIER_ATSPI_TIMES'):
            log('read %d nodes in %.2f s: %s' % (sum(1 for _ in tree.walk()), took, tree.label()))
        return tree

    def tree(self):
        """All of the app."""
        if self.ref is None:
            self.ref = wait_for('the app on the accessibility bus', self.find_app)
        return self.read(self.ref)

    def toplevels(self):
        """The app and its windows, not what is in them."""
        if self.ref is None:
            self.ref = wait_for('the app on the accessibility bus', self.find_app)
        return self.read(self.ref, depth=1)

    def again(self, node):
        """@node read anew, with all below it."""
        return self.read(node.ref, node.parent, node.index)

    def window(self, name):
        """The window titled @name (a regular expression), read anew."""
        app = self.toplevels()
        window = find_node(app.children, None, name)
        if window is None:
            raise Failure("no window named '%s'; the windows: %s"
                          % (name, ', '.join(w.label() for w in app.children)))
        return self.again(window)

    def find(self, role=None, name=None, acts=False, window=None, timeout=TIMEOUT):
        """The first node of @role whose whole name matches @name (a
        regular expression), in the window titled @window or anywhere,
        waiting until there is one. With @acts, the first that can be
        clicked (of a GtkMenuButton, the button inside)."""
        def look():
            tree = self.window(window) if window else self.tree()
            return find_node(tree.walk(), role, name, acts)
        return wait_for('%s named /%s/' % (role or 'a node', name), look, timeout)

    def click(self, role, name, window=None, remember=False):
        """Clicks the node of @role named @name. With @remember, the node
        is found once and clicked again without reading the window (for
        the header bar's buttons)."""
        node = self.remembered.get((role, name, window)) if remember else None
        if node is None:
            node = self.find(role, name, acts=True, window=window)
            if remember:
                self.remembered[role, name, window] = node
        if not node.sensitive:
            raise Failure('%s cannot be clicked: it is insensitive' % node.path())
        node.do(*CLICK_ACTIONS)
        time.sleep(0.2)
        return node

    def set_text(self, role, name, text, window=None):
        node = self.find(role, name, window=window)
        self.bus.call(node.ref, 'org.a11y.atspi.EditableText', 'SetTextContents', GLib.Variant('(s)', (text,)))
        time.sleep(0.2)

    @staticmethod
    def xdotool(*args):
        out = subprocess.run(['xdotool'] + [str(a) for a in args], capture_output=True, text=True, timeout=10)
        if out.returncode != 0:
            raise Failure('xdotool %s: %s' % (' '.join(map(str, args)), out.stderr.strip()))
        return out.stdout

    def x_window(self, title):
        """The X window of the toplevel titled @title (there is no window
        manager: the test gives windows the focus itself)."""
        pattern = '^%s$' % re.sub(r'([.^$*+?()\[\]{}|\\])', r'\\\1', title)  # POSIX, not Python
        ids = wait_for("an X window titled '%s'" % title,
                       lambda: subprocess.run(['xdotool', 'search', '--onlyvisible', '--name', pattern],
                                              capture_output=True, text=True, timeout=10).stdout.split())
        return ids[-1]

    def key(self, window_title, *keys):
        """Keys pressed in a window, as on a keyboard."""
        wid = self.x_window(window_title)
        self.xdotool('windowfocus', '--sync', wid)
        self.xdotool('key', '--clearmodifiers', *keys)
        time.sleep(0.3)

    def close(self, window):
        """Closes a window, as its close button or Escape would."""
        window.do('window.close')
        wait_for("'%s' to close" % window.name,
                 lambda: all(w.ref != window.ref for w in self.toplevels().children))

    def click_at(self, node):
        """A click of the mouse in the middle of @node, for what has no
        action (a row of a list), scrolling down to it first."""
        wid = self.x_window(node.window().name)
        height = node.window().extents()[3]
        x, y, w, h = node.extents()
        for _ in range(30):
            if y + h < height - 60:
                break
            self.xdotool('mousemove', '--window', wid, x + w // 2, height // 2)
            self.xdotool('click', 5)  # the wheel, down
            time.sleep(0.1)
            x, y, w, h = node.extents()
        self.xdotool('mousemove', '--window', wid, x + w // 2, y + h // 2)
        self.xdotool('click', 1)
        time.sleep(0.2)

# }}}
# {{{ The checks


class Check:
    """Checks the controls of each step, each control once."""

    def __init__(self, app):
        self.app = app
        self.results = []          # (title, ok, lines, todo)
        self.checked = set()       # refs of the controls checked
        self.gallery = set()       # refs of the roots of the gallery's parts
        self.gallery_lines = []
        self.dump_dir = os.environ.get('ATELIER_ATSPI_DUMP')

    def check(self, title, roots, min_controls, expect=()):
        """Checks the controls under @roots: at least @min_controls of
        them, nodes named as @expect says ((role, name regex) pairs) among
        them, and no name a person cannot understand. Controls of the
        gallery are told apart (see gallery_todo())."""
        if self.dump_dir:
            os.makedirs(self.dump_dir, exist_ok=True)
            base = os.path.join(self.dump_dir, re.sub(r'\W+', '-', title))
            with open(base + '.txt', 'w') as out:
                for root in roots:
                    out.write('%s\n' % root.path())
                    dump(root, out, 1)
            subprocess.run(['import', '-window', 'root', base + '.png'], stderr=subprocess.DEVNULL)

        nodes = [n for root in roots for n in root.walk()]
        controls = [n for n in nodes if is_control(n)]
        lines = []
        for node in controls:
            if node.ref in self.checked:
                continue
            self.checked.add(node.ref)
            if is_bad_name(node.name) and not any(match(node) for match in LIBRARY_EXCEPTIONS):
                line = '%s has no name: %s%s%s' % (node.role, node.path(), node.why_control(), node.near())
                (self.gallery_lines if self.in_gallery(node) else lines).append(line)
        if len(controls) < min_controls:
            lines.append('only %d controls, expected at least %d: the step did not show what it should'
                         % (len(controls), min_controls))
        for role, name in expect:
            if find_node(nodes, role, name) is None:
                lines.append("no %s named '%s'" % (role, name))
        self.results.append(('%s: %d controls' % (title, len(controls)), not lines, lines, None))
        log('%s: %d controls' % (title, len(controls)))

    @staticmethod
    def has(roots, expect):
        nodes = [n for root in roots for n in root.walk()]
        return all(find_node(nodes, role, name) for role, name in expect)

    def step(self, title, scope, min_controls, expect=()):
        """Checks what @scope (a function) returns, read anew, once
        @expect is there (or has not come in time)."""
        try:
            roots = wait_for(title, lambda: (lambda r: r if self.has(r, expect) else None)(scope()))
        except Failure:
            roots = scope()
        self.check(title, roots, min_controls, expect)

    def opened(self, title, action, min_controls, expect=(), within=None, gallery=False):
        """Checks what @action opens: a new window, or the nodes new under
        the node @within (a popover, a row). Returns them. With @gallery,
        what opened belongs to the gallery."""
        windows = {w.ref for w in self.app.toplevels().children}
        before = {n.ref for n in self.app.again(within).walk()} if within else set()
        action()

        def ready():
            new = [w for w in self.app.toplevels().children if w.ref not in windows]
            if new:
                roots = [self.app.again(w) for w in new]
            elif within:
                roots = [n for n in self.app.again(within).walk()
                         if n.ref not in before and n.parent is not None and n.parent.ref in before]
            else:
                return None
            return roots if roots and self.has(roots, expect) else None
        roots = wait_for('%s to open' % title, ready)
        if gallery:
            self.gallery.update(r.ref for r in roots)
        self.check(title, roots, min_controls, expect)
        return roots

    def in_gallery(self, node):
        return any(n.ref in self.gallery for n in [node] + list(node.ancestors()))

    def gallery_todo(self, problems=()):
        """The gallery and its viewer: every control named, as everywhere."""
        lines = self.gallery_lines + list(problems)
        self.results.append(('gallery and viewer: every control named', not lines, lines, None))

    def fail(self, title, message):
        self.results.append((title, False, [message], None))

    def tap(self):
        print('1..%d' % len(self.results))
        failed = 0
        for i, (title, ok, lines, todo) in enumerate(self.results, 1):
            for line in lines:
                print('# ' + line)
            suffix = ' # TODO ' + todo if todo else ''
            print('%s %d - %s%s' % ('ok' if ok else 'not ok', i, title, suffix), flush=True)
            if not ok and not todo:
                failed += 1
        return failed

# }}}
# {{{ The walk through the app


class Pages:
    """The parts of the main window, found by where they are: the pages of
    its view stack, and in the Tunes page its list, detail and editor.
    Each part is found once in a read of the whole window, then read
    alone."""

    LANDMARKS = {
        'search tunes': ('entry', 'Search tunes'),
        'delete tune': ('push button', 'Delete Tune'),
        'create tune': ('push button', '.*Create Tune'),
        'search prompts': ('entry', 'Search prompts'),
        'packs': ('list', 'My Packs|Gallery Packs'),
    }

    def __init__(self, app):
        self.app = app
        self.found = {}

    def landmark(self, window, which):
        role, name = self.LANDMARKS[which]
        node = find_node(window.walk(), role, name)
        if node is None:
            raise Failure("the main window has no %s named '%s'" % (role, name))
        return node

    def part(self, which, other):
        """A function that reads the part of the main window with the
        landmark @which, as against @other."""
        def read():
            if (which, other) not in self.found:
                window = self.app.window('Atelier')
                self.found[which, other] = region(self.landmark(window, which), self.landmark(window, other))
            return [self.app.again(self.found[which, other])]
        return read

    def view_stack(self, window):
        return lowest_common_ancestor(self.landmark(window, 'search tunes'), self.landmark(window, 'packs'))

    def faceid(self):
        window = self.app.window('Atelier')
        stack = self.view_stack(window)
        others = [self.landmark(window, k) for k in ('search tunes', 'packs', 'search prompts')]
        return [c for c in stack.children if not any(o.is_within(c) for o in others)]

    def chrome(self):
        """The main window but its pages: header bar, banners."""
        window = self.app.window('Atelier')
        stack = self.view_stack(window)
        out = []

        def outside(node):
            if node is stack:
                return
            if not any(stack.is_within(c) for c in node.children):
                out.append(node)
                return
            for child in node.children:
                outside(child)
        outside(window)
        return out


def write_png(path, width, height):
    """A photo to add: a PNG of a warm gradient."""
    rows = b''.join(b'\0' + bytes((200, 120 + (y * 100) // height, 90) * width) for y in range(height))

    def chunk(kind, data):
        return (struct.pack('>I', len(data)) + kind + data
                + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff))
    with open(path, 'wb') as out:
        out.write(b'\x89PNG\r\n\x1a\n'
                  + chunk(b'IHDR', struct.pack('>IIBBBBB', width, height, 8, 2, 0, 0, 0))
                  + chunk(b'IDAT', zlib.compress(rows))
                  + chunk(b'IEND', b''))


def run(app, check):
    pages = Pages(app)
    app.find('push button', 'Account: Sandbox.*', window='Atelier')
    app.find('list item', 'Ada Lovelace', window='Atelier')  # the seeded tunes, loaded
    check.gallery.add(pages.part('search prompts', 'search tunes')()[0].ref)

    check.step('Header bar and banners', pages.chrome, 5,
               expect=[('push button', 'Refresh'), ('push button', 'Main Menu'),
                       ('push button', 'Account: Sandbox.*'), ('page tab', 'Gallery')])
    check.step('Tunes', pages.part('search tunes', 'delete tune'), 4,
               expect=[('push button', 'New Tune'), ('entry', 'Search tunes'),
                       ('list item', 'Ada Lovelace'), ('list item', 'Grace Hopper')])
    check.opened('Main menu', lambda: app.click('push button', 'Main Menu', 'Atelier', remember=True), 4,
                 expect=[('menu item', 'Refresh'), ('menu item', 'Preferences'),
                         ('menu item', 'Keyboard Shortcuts'), ('menu item', 'About Atelier')],
                 within=app.find('push button', 'Main Menu', window='Atelier'))
    app.key('Atelier', 'Escape')

    # A tune, its prompt editor and the editor's menu of tags.
    app.click_at(app.find('list item', 'Ada Lovelace', window='Atelier'))
    check.step('Tune detail', pages.part('delete tune', 'search tunes'), 5,
               expect=[('push button', 'Delete Tune'), ('table cell', 'Training photo 1')])
    editor = check.opened('Prompt editor', lambda: app.click('push button', '.*New Prompt', 'Atelier'), 20,
                          expect=[('push button', 'Insert Tag'), ('combo box', 'Tune'), ('text', 'Prompt.*'),
                                  ('list item', 'Sampling')])[0]
    check.opened('Prompt editor: Insert Tag', lambda: app.click('push button', 'Insert Tag', 'New Prompt'), 1,
                 expect=[('menu item', 'LoRA of Grace Hopper')],
                 within=app.find('push button', 'Insert Tag', window='New Prompt'))
    app.key('New Prompt', 'Escape')
    app.close(editor)

    # The New Tune editor and the choices of its combo rows.
    app.click('push button', '.*Tunes', 'Atelier')
    app.click('push button', 'New Tune', 'Atelier')
    check.step('New Tune', pages.part('create tune', 'search tunes'), 15,
               expect=[('push button', '.*Add Photos…'), ('combo box', 'Class'), ('text', 'Name'),
                       ('combo box', 'Model Type'), ('spin button', '.*Steps')])
    for combo, choices in (('Class', 9), ('Model Type', 2)):
        row = app.find('combo box', combo, window='Atelier')
        check.opened('New Tune: %s choices' % combo, lambda: app.click_at(row), choices, within=row)
        app.key('Atelier', 'Escape')
    check.opened('New Tune: a first prompt', lambda: app.click('push button', '.*Add Prompt', 'Atelier'), 2,
                 expect=[('text', 'Prompt.*'), ('push button', 'Remove Prompt')],
                 within=pages.part('create tune', 'search tunes')()[0])
    # A photo, through GTK's file chooser (typed as a path, as a user can).
    photo = os.path.join(app.session.home, 'atspi-photo.png')
    write_png(photo, 640, 640)
    app.click('push button', '.*Add Photos…', 'Atelier')
    app.key('Add Training Photos', 'ctrl+l')
    app.xdotool('type', '--delay', '5', photo)
    app.key('Add Training Photos', 'Return')
    check.step('New Tune: a photo', pages.part('create tune', 'search tunes'), 15,
               expect=[('table cell', 'atspi-photo.png'), ('push button', 'Remove atspi-photo.png')])
    app.click('push button', '.*Tunes', 'Atelier')

    # The other pages.
    app.click('page tab', 'Packs', 'Atelier', remember=True)
    check.step('Packs', pages.part('packs', 'search tunes'), 4,
               expect=[('list item', 'Corporate headshots'), ('list item', 'My studio portraits')])
    app.click('page tab', 'FaceID', 'Atelier', remember=True)
    # The face, the form with every fal parameter, and the Astria way.
    check.step('FaceID', pages.faceid, 20,
               expect=[('push button', '.*Choose Photos…'), ('push button', '.*Generate'),
                       ('list item', 'Advanced'), ('push button', '.*Create FaceID Tune…')])

    # Preferences, and the buttons of its key rows.
    prefs = check.opened('Preferences',
                         lambda: app.click('push button', 'Account: Sandbox.*', 'Atelier', remember=True), 5,
                         expect=[('text', 'Astria API Key'), ('text', 'fal.ai Key'),
                                 ('push button', 'Show Text')])[0]
    # Typed into the focused row, as a user does: the apply button shows
    # only for text typed there.
    app.click_at(app.find('text', 'Astria API Key', window='Preferences'))
    app.set_text('text', 'Astria API Key', 'not-a-key', 'Preferences')
    app.click('push button', 'Show Text', 'Preferences')
    check.step('Preferences: a key typed and shown', lambda: [app.window('Preferences')], 5,
               expect=[('push button', 'Hide Text'), ('push button', 'Apply')])
    app.set_text('text', 'Astria API Key', '', 'Preferences')
    app.close(prefs)

    # Keyboard shortcuts and About, from the main menu.
    app.click('push button', 'Main Menu', 'Atelier', remember=True)
    window = check.opened('Keyboard Shortcuts',
                          lambda: app.click('menu item', 'Keyboard Shortcuts', 'Atelier'), 3,
                          expect=[('entry', 'Search Shortcuts')])[0]
    app.close(window)
    app.click('push button', 'Main Menu', 'Atelier', remember=True)
    window = check.opened('About', lambda: app.click('menu item', 'About Atelier', 'Atelier'), 3,
                          expect=[('list item', 'Credits'), ('list item', 'Legal')])[0]
    app.close(window)


def run_gallery(app, check):
    """The gallery page, its popovers and its viewer."""
    part = Pages(app).part('search prompts', 'search tunes')
    app.click('page tab', 'Gallery', 'Atelier', remember=True)
    check.step('Gallery', part, 3, expect=[('entry', 'Search prompts')])

    open_each(app, check, 'Gallery', part()[0], 'Atelier')

    # The viewer, from the first image: a button that shows a picture and
    # no text, or else a cell of the grid.
    page = part()[0]
    grid = [n for n in page.walk() if n.role in ('table', 'list', 'tree table')]
    cells = [n for g in grid for n in g.walk() if n.role == 'push button'
             and any(c.role == 'image' for c in n.walk()) and not any(c.role == 'label' for c in n.walk())]
    cells += [n for g in grid for n in g.children if n.role in ITEM_ROLES]
    if not cells:
        raise Failure('the gallery shows no image to open')
    cell = cells[0]
    action = ((lambda: cell.do(*CLICK_ACTIONS)) if set(cell.actions) & set(CLICK_ACTIONS)
              else (lambda: app.click_at(cell)))
    window = check.opened('Viewer', action, 3, gallery=True)[0]
    open_each(app, check, 'Viewer', app.again(window), window.name)
    app.close(window)


def open_each(app, check, title, root, window):
    """Opens and checks each menu and drop-down under @root, in the window
    titled @window: the button inside each menu button, each combo box."""
    openers = [n for n in root.walk()
               if (n.role == 'push button' and n.parent.role == 'push button') or n.role == 'combo box']
    for i, opener in enumerate(openers):
        if opener.role == 'combo box':
            inner = find_node(opener.walk(), 'push button', None, acts=True)
            action = (lambda n=inner: n.do(*CLICK_ACTIONS)) if inner else (lambda n=opener: app.click_at(n))
        else:
            action = lambda n=opener: n.do(*CLICK_ACTIONS)
        check.opened('%s: %s %d (%s)' % (title, opener.role, i + 1, opener.name or 'no name'),
                     action, 1, within=opener if opener.role == 'combo box' else opener.parent, gallery=True)
        app.key(window, 'Escape')

# }}}


def main():
    if len(sys.argv) != 3:
        print('usage: test-atspi-names.py ATELIER SANDBOX_SERVER', file=sys.stderr)
        return 2
    if not os.environ.get('DISPLAY'):
        print('1..0 # SKIP no display')
        return 77

    session = Session(*sys.argv[1:])
    status = 1
    started = time.monotonic()
    try:
        session.start()
        app = App(session)
        check = Check(app)
        try:
            run(app, check)
        except (Failure, GLib.Error) as e:
            check.fail('the walk through the app', str(e))
        # Everything else in the app, also when the walk stopped: error
        # pages, banners, what was not shown.
        try:
            check.step('Everything else in the app', lambda: [app.tree()], 0)
        except (Failure, GLib.Error) as e:
            check.fail('everything else in the app', str(e))
        problems = []
        try:
            run_gallery(app, check)
        except (Failure, GLib.Error) as e:
            problems.append('the walk through the gallery: %s' % e)
        check.gallery_todo(problems)
        status = 1 if check.tap() else 0
        log('read the tree %d times in %.1f s' % (app.reads, app.read_time))
    except Failure as e:
        print('1..1\nnot ok 1 - setting up: %s' % e)
    finally:
        if status != 0:
            for line in session.app_output().splitlines()[-40:]:
                print('# app: ' + line)
        session.stop()
        log('took %.1f s' % (time.monotonic() - started))
    return status


if __name__ == '__main__':
    sys.exit(main())
