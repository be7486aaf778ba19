/* login.js - index.html: log in, then go to the role's own page. */
import { getSession, login, HOME_BY_ROLE, showPageError, hidePageError, $ } from './app.js';

const form = $('#login-form');
const button = $('#login-button');

function go(session) {
    location.assign(HOME_BY_ROLE[session.role] || 'index.html');
}

form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    hidePageError();
    const username = $('#username').value.trim();
    const password = $('#password').value;
    if (!username || !password) {
        showPageError(new Error('Please enter your username and your password.'));
        $(username ? '#password' : '#username').focus();
        return;
    }
    button.disabled = true;
    try {
        go(await login(username, password));
    } catch (e) {
        if (e.status === 401) e.message = 'That username and password do not match. Please try again.';
        showPageError(e);
        $('#password').value = '';
        $('#password').focus();
    } finally {
        button.disabled = false;
    }
});

getSession()
    .then((s) => {
        if (s) go(s);
        else $('#username').focus();
    })
    .catch(() => $('#username').focus());
