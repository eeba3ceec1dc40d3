'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { type Role, useCan } from './session';
import { cn } from './ui/cn';

const LINKS: { href: string; label: string; icon: string; minimum: Role }[] = [
  { href: '/challenges', label: 'Challenges', icon: '◎', minimum: 'viewer' },
  { href: '/schedule', label: 'Schedule', icon: '◷', minimum: 'viewer' },
  { href: '/players', label: 'Players', icon: '☺', minimum: 'viewer' },
  { href: '/funnels', label: 'Funnels', icon: '▥', minimum: 'viewer' },
  { href: '/live', label: 'Live', icon: '∿', minimum: 'viewer' },
  { href: '/load-tests', label: 'Load tests', icon: '⇶', minimum: 'viewer' },
  { href: '/rewards', label: 'Rewards', icon: '★', minimum: 'viewer' },
  { href: '/webhooks', label: 'Webhooks', icon: '↗', minimum: 'viewer' },
  { href: '/audit', label: 'Audit', icon: '☰', minimum: 'viewer' },
  { href: '/users', label: 'Users', icon: '◈', minimum: 'admin' },
  { href: '/account', label: 'Account', icon: '⚙', minimum: 'viewer' },
];

function NavLink({ link }: { link: (typeof LINKS)[number] }) {
  const pathname = usePathname();
  const allowed = useCan(link.minimum);
  if (!allowed) return null;
  const active = pathname.startsWith(link.href);
  return (
    <Link
      href={link.href}
      aria-current={active ? 'page' : undefined}
      className={cn(
        'flex items-center gap-2 whitespace-nowrap rounded-md px-2 py-2 text-sm font-medium focus-visible:outline-2 focus-visible:outline-indigo-400 md:px-3',
        active
          ? 'bg-slate-800 text-white'
          : 'text-slate-300 hover:bg-slate-800/60 hover:text-white',
      )}
    >
      <span aria-hidden className="w-4 text-center">
        {link.icon}
      </span>
      {link.label}
    </Link>
  );
}

export function Nav() {
  return (
    // Below md the entries wrap into a grid: every page stays one tap away on a phone, with no
    // sideways scrolling to find Rewards or Users.
    <nav aria-label="Main" className="grid grid-cols-3 gap-1 md:flex md:flex-col">
      {LINKS.map((link) => (
        <NavLink key={link.href} link={link} />
      ))}
    </nav>
  );
}
