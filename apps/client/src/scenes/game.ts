import * as Phaser from 'phaser';
import type { NetworkViewModel } from '../view/viewModel.ts';
import { NETWORK_SCENE, NetworkScene } from './NetworkScene.ts';

/**
 * A game booted ahead of need (`prebootGame`): its own parent element, parked hidden
 * on the page until a stage takes it.
 */
let spare: { game: Phaser.Game; holder: HTMLElement } | null = null;

function newGame(parent: HTMLElement): Phaser.Game {
  return new Phaser.Game({
    type: Phaser.WEBGL,
    parent,
    backgroundColor: '#0b1020',
    scale: { mode: Phaser.Scale.RESIZE, width: '100%', height: '100%' },
    render: { antialiasGL: false, powerPreference: 'high-performance' },
    banner: false,
    scene: [],
  });
}

/**
 * Starts booting the game (the WebGL context, its shaders, the default textures, the
 * loop) while the join is still on the network, so the round screen only adds its
 * scene (PERFORMANCE.md "Joining"). Idempotent; `discardSpareGame` undoes it.
 */
export function prebootGame(): void {
  if (spare) return;
  const holder = document.createElement('div');
  holder.className = 'game-holder game-holder-parked';
  holder.setAttribute('aria-hidden', 'true');
  document.body.append(holder);
  spare = { game: newGame(holder), holder };
}

/** The join failed: the booted game is not needed. */
export function discardSpareGame(): void {
  spare?.game.destroy(true);
  spare?.holder.remove();
  spare = null;
}

/** The Phaser game that draws one network into `parent` (which must have a real size): the pre-booted one if any. */
export function createGame(parent: HTMLElement, vm: NetworkViewModel): Phaser.Game {
  const taken = spare;
  spare = null;
  let game: Phaser.Game;
  if (taken) {
    taken.holder.classList.remove('game-holder-parked');
    parent.append(taken.holder);
    game = taken.game;
    // Booted while parked: measure the stage now rather than at the next resize poll.
    if (game.isBooted) {
      game.scale.getParentBounds();
      game.scale.refresh();
    }
  } else {
    const holder = document.createElement('div');
    holder.className = 'game-holder';
    parent.append(holder);
    game = newGame(holder);
  }
  game.scene.add(NETWORK_SCENE, NetworkScene, true, vm);
  return game;
}
