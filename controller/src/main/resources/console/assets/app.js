// The console's pages, by the address's fragment: #/ the pipes, #/pipes/ID a pipe, #/new a new pipe. Each page
// renders into <main> and answers a function that stops its refreshes when the user goes elsewhere.

import {pipesPage} from './pipes.js';
import {pipePage} from './pipe.js';
import {newPipePage} from './new-pipe.js';

const main = document.getElementById('main');
let stop = () => {};

function route() {
  stop();
  const path = location.hash.replace(/^#/, '') || '/';
  const pipe = path.match(/^\/pipes\/([^/]+)$/);
  main.replaceChildren();
  if (pipe) {
    stop = pipePage(main, decodeURIComponent(pipe[1]));
  } else if (path === '/new') {
    stop = newPipePage(main);
  } else {
    stop = pipesPage(main);
  }
  main.focus({preventScroll: true});
}

window.addEventListener('hashchange', route);
route();
