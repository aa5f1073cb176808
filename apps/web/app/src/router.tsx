import { type AnchorHTMLAttributes, type MouseEvent, useSyncExternalStore } from 'react';

// A few pathname routes do not need a router library (and its weight in the 150 KB first-load budget).
const CHANGE = 'imggen:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(CHANGE, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(CHANGE, onChange);
  };
}

export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => location.pathname);
}

export function navigate(to: string, { replace = false } = {}): void {
  if (replace) {
    history.replaceState(null, '', to);
  } else {
    history.pushState(null, '', to);
  }
  window.dispatchEvent(new Event(CHANGE));
  window.scrollTo?.(0, 0);
}

export function Link({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    // let the browser open new tabs and downloads itself
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    ) {
      return;
    }
    event.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={follow} {...rest} />;
}

export type Route =
  | { name: 'create' }
  | { name: 'gallery' }
  | { name: 'job'; jobId: string }
  | { name: 'usage' }
  | { name: 'callback' }
  | { name: 'not-found' };

export function matchRoute(pathname: string): Route {
  const job = /^\/jobs\/([0-9A-Za-z]+)\/?$/.exec(pathname);
  if (job) {
    return { name: 'job', jobId: job[1]! };
  }
  switch (pathname.replace(/\/+$/, '') || '/') {
    case '/':
      return { name: 'create' };
    case '/gallery':
      return { name: 'gallery' };
    case '/usage':
      return { name: 'usage' };
    case '/callback':
      return { name: 'callback' };
    default:
      return { name: 'not-found' };
  }
}
