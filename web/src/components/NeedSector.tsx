import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useWorkspace } from '../state';
import { Empty, Loading } from './ui';

/** Planner and writer pages work inside the picked sector. */
export function NeedSector({ children }: { children: (sectorId: string) => ReactNode }) {
  const { sectorId, sitesLoading, sites } = useWorkspace();
  if (sitesLoading) return <Loading />;
  if (!sectorId)
    return (
      <Empty title={sites.length ? 'Pick or add a sector' : 'Create a site first'}>
        <Link to="/sites">Go to sites &amp; sectors</Link>
      </Empty>
    );
  return <>{children(sectorId)}</>;
}

