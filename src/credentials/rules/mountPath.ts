/**
 * The rule for a directory credinject mounts a credential at, written once for the Secret's
 * `credinject.dev/mount-path` and the pod's `mount-path.credinject.dev/<credential>`. The
 * container runtime resolves `//` and `.` (so `/etc//app` is `/etc/app`): paths are compared in that
 * normal form, or two mounts at one directory would pass. `..` is refused rather than resolved: a
 * path that climbs is a mistake or an attempt to land somewhere else.
 */

/** Why `path` cannot be a credential's mount directory, or undefined when it can. */
export function mountPathProblem(path: string): string | undefined {
  if (!path.startsWith('/')) return 'must be an absolute path';
  if (path.includes(':')) return 'must not contain ":"';
  if (path.split('/').includes('..')) return 'must not contain ".."';
  if (normalMountPath(path) === '/') return 'must not be "/"';
  return undefined;
}

/** `/a/b`: one or more `/segment`, none empty, `.` or `..`. */
const alreadyNormal = /^(?:\/(?!\.\.?(?:\/|$))[^/]+)+$/;

/**
 * `path` as the runtime sees the directory: repeated and trailing `/` and `.` segments dropped.
 * `..` segments are resolved too, so a user's own mount at `/a/../etc` still collides with `/etc`.
 */
export function normalMountPath(path: string): string {
  // Nearly every path is already normal; it is compared for each mount of each review.
  if (alreadyNormal.test(path)) return path;
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  return `/${segments.join('/')}`;
}
