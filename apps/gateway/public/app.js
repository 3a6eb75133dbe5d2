// The GameBuddies play page: create or join a School Quiz room and play it. Plain browser JavaScript on the
// Socket.IO client the gateway serves; the protocol is described in apps/gateway/PROTOCOL.md.
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const TOKEN_KEY = 'gamebuddies.token';
  const NAME_KEY = 'gamebuddies.name';
  let session = null;
  let snapshot = null;
  let tick = null;

  const socket = io({ auth: (cb) => cb({ token: localStorage.getItem(TOKEN_KEY) || undefined }), transports: ['websocket', 'polling'] });

  function request(event, payload) {
    return new Promise((resolve, reject) => {
      socket.timeout(5000).emit(event, payload || {}, (err, response) => {
        if (err) return reject(new Error('the server did not answer'));
        if (response.ok) resolve(response.data);
        else reject(Object.assign(new Error(response.error.message), { code: response.error.code }));
      });
    });
  }

  function showError(error) {
    $('error').textContent = error ? `${error.code ? error.code + ': ' : ''}${error.message}` : '';
  }

  async function openSession() {
    const name = $('name').value.trim() || localStorage.getItem(NAME_KEY) || '';
    try {
      session = await request('session:open', name ? { name } : {});
      localStorage.setItem(TOKEN_KEY, session.token);
      if (session.roomCode) render(await request('room:sync'));
      else render(null);
    } catch (error) {
      if (error.code === 'INVALID_PAYLOAD') { session = null; render(null); } else showError(error);
    }
  }

  async function ensureSession() {
    const name = $('name').value.trim();
    if (!name) throw Object.assign(new Error('enter your name first'), { code: 'NAME_REQUIRED' });
    localStorage.setItem(NAME_KEY, name);
    if (!session) {
      session = await request('session:open', { name });
      localStorage.setItem(TOKEN_KEY, session.token);
    }
  }

  const act = (fn) => async () => {
    showError(null);
    try { await fn(); } catch (error) { showError(error); }
  };

  $('create').onclick = act(async () => { await ensureSession(); render(await request('room:create', { gameId: 'school-quiz' })); });
  $('join').onclick = act(async () => { await ensureSession(); render(await request('room:join', { code: $('code').value.trim() })); });
  $('leave').onclick = act(async () => { await request('room:leave'); render(null); });
  $('start').onclick = act(() => request('room:start'));
  $('next').onclick = act(() => request('game:act', { action: 'next' }));

  socket.on('connect', () => { $('connection').textContent = 'online'; openSession(); });
  socket.on('disconnect', () => { $('connection').textContent = 'reconnecting…'; });
  socket.on('room:state', (next) => { if (!snapshot || next.code !== snapshot.code || next.version >= snapshot.version) render(next); });
  // After a join the server sends only what changes: each player's new view, and member changes.
  socket.on('room:view', (update) => {
    if (!snapshot || update.code !== snapshot.code || update.version <= snapshot.version) return;
    render({ ...snapshot, version: update.version, phase: update.phase, hostId: update.hostId, result: update.result ?? null, view: update.view });
  });
  socket.on('room:member', (change) => {
    if (!snapshot || change.code !== snapshot.code || change.version <= snapshot.version) return;
    const others = snapshot.members.filter((m) => m.id !== change.member.id);
    const known = snapshot.members.some((m) => m.id === change.member.id);
    const members = change.kind === 'left' ? others : known ? snapshot.members.map((m) => (m.id === change.member.id ? change.member : m)) : [...others, change.member];
    render({ ...snapshot, members });
  });
  socket.on('room:closed', (closed) => { showError({ message: closed.reason === 'kicked' ? 'the host removed you from the room' : 'the room closed' }); render(null); });
  socket.on('server:draining', (notice) => { socket.disconnect(); setTimeout(() => socket.connect(), notice.reconnectAfterMs); });

  function render(next) {
    snapshot = next;
    $('welcome').hidden = next !== null;
    $('room').hidden = next === null;
    if (localStorage.getItem(NAME_KEY) && !$('name').value) $('name').value = localStorage.getItem(NAME_KEY);
    clearInterval(tick);
    if (!next) return;
    const me = session && session.playerId;
    const isHost = next.hostId === me;
    $('room-code').textContent = next.code;
    $('members').replaceChildren(...next.members.map((m) => {
      const li = document.createElement('li');
      li.textContent = `${m.name}${m.id === next.hostId ? ' ★' : ''}${m.role === 'spectator' ? ' (watching)' : ''}`;
      li.className = m.isConnected ? '' : 'offline';
      return li;
    }));
    const view = next.view;
    $('lobby').hidden = next.phase !== 'lobby';
    $('start').hidden = !isHost;
    $('lobby-hint').textContent = isHost ? 'Share the room code, then start when everyone is in.' : 'Waiting for the host to start…';
    $('quiz').hidden = next.phase !== 'playing' || !view;
    $('ended').hidden = next.phase !== 'ended';
    if (view && next.phase === 'playing') renderQuestion(view, isHost);
    $('scoreboard').replaceChildren(...((view && view.scoreboard) || []).map((line) => {
      const li = document.createElement('li');
      li.textContent = `${line.name}: ${line.score} points (${line.correct} right)${line.hasLeft ? ', left' : ''}`;
      return li;
    }));
  }

  function renderQuestion(view, isHost) {
    $('round').textContent = `Question ${view.round} of ${view.totalRounds}`;
    $('category').textContent = view.question ? view.question.category : '';
    $('prompt').textContent = view.question ? view.question.prompt : '';
    const revealed = view.reveal;
    $('choices').replaceChildren(...(view.question ? view.question.choices : []).map((text, index) => {
      const button = document.createElement('button');
      button.textContent = text;
      button.dataset.choice = String(index);
      button.disabled = !view.isPlaying || view.yourAnswer !== null || revealed !== null;
      if (view.yourAnswer === index) button.classList.add('mine');
      if (revealed) button.classList.add(index === revealed.answer ? 'right' : view.yourAnswer === index ? 'wrong' : 'plain');
      button.onclick = act(() => request('game:act', { action: 'answer', payload: { choice: index } }));
      return button;
    }));
    $('feedback').textContent = revealed ? `The answer: ${view.question.choices[revealed.answer]}` : `${view.answeredBy.length} answered`;
    $('next').hidden = !isHost || !revealed;
    const showTimer = () => { $('timer').textContent = view.endsAt ? `${Math.max(0, Math.ceil((view.endsAt - Date.now()) / 1000))} s` : ''; };
    showTimer();
    tick = setInterval(showTimer, 500);
  }
})();
