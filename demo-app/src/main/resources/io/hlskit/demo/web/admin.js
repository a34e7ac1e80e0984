// The admin page: upload with a progress bar (XMLHttpRequest reports upload progress), then
// follow the transcode job until the channel is published, the job says why it failed, or the
// admin cancels it.

import { signIn, token } from './auth.js';

const form = document.getElementById('upload');
const section = document.getElementById('progress');
const phase = document.getElementById('phase');
const bar = document.getElementById('bar');
const result = document.getElementById('result');
const cancel = document.getElementById('cancel');

form.token.value = token();

function report(text, isError = false) {
  result.textContent = text;
  result.classList.toggle('error', isError);
}

function upload(data, token) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/channels');
    xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) bar.value = e.loaded / e.total;
    };
    xhr.onload = () => {
      let body = {};
      try { body = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
      if (xhr.status === 202) resolve(body);
      else reject(new Error(body.message || `the server answered ${xhr.status}`));
    };
    xhr.onerror = () => reject(new Error('the upload failed: is the server reachable?'));
    xhr.send(data);
  });
}

// what the job is doing, in words: waiting, or transcoding (where, and which attempt)
function describe(job) {
  if (job.state === 'queued') return 'Waiting for a transcoder…';
  const where = job.worker ? ` on ${job.worker}` : '';
  const attempt = job.attempts > 1 ? ` (attempt ${job.attempts})` : '';
  return `Transcoding${where}${attempt}…`;
}

async function follow(job, token) {
  phase.textContent = describe(job);
  cancel.hidden = false;
  cancel.disabled = false;
  cancel.onclick = async () => {
    cancel.disabled = true;
    const response = await fetch(`/api/jobs/${encodeURIComponent(job.id)}`, {
      method: 'DELETE', headers: { Authorization: `Bearer ${token}` },
    });
    if (!response.ok) {
      cancel.disabled = false;
      report(`the job could not be cancelled (HTTP ${response.status})`, true);
    }
  };
  try {
    while (true) {
      const response = await fetch(`/api/jobs/${encodeURIComponent(job.id)}`,
        { cache: 'no-cache' });
      if (!response.ok) throw new Error(`the job could not be read (HTTP ${response.status})`);
      const current = await response.json();
      bar.value = current.progress;
      phase.textContent = describe(current);
      if (current.state === 'done') return current;
      if (current.state === 'failed') throw new Error(current.error);
      if (current.state === 'cancelled') throw new Error('Cancelled: nothing was published.');
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    cancel.hidden = true;
  }
}

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  const token = form.token.value.trim();
  signIn(token);
  const data = new FormData();
  data.append('id', form.id.value.trim());
  data.append('title', form.title.value.trim());
  data.append('profile', form.profile.value);
  data.append('quality', form.quality.value);
  data.append('visibility', form.private.checked ? 'private' : 'public');
  data.append('file', form.file.files[0]);
  form.querySelector('button').disabled = true;
  section.hidden = false;
  phase.textContent = 'Uploading…';
  bar.value = 0;
  report('');
  try {
    const job = await follow(await upload(data, token), token);
    phase.textContent = 'Done.';
    const link = document.createElement('a');
    link.href = `/#${encodeURIComponent(job.channel)}`;
    link.textContent = `Watch ${job.channel}`;
    result.replaceChildren(link);
    result.classList.remove('error');
  } catch (err) {
    phase.textContent = 'Failed.';
    report(err.message, true);
  } finally {
    form.querySelector('button').disabled = false;
  }
});
