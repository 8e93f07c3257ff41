import * as Phaser from 'phaser';
import type { NetworkViewModel } from '../view/viewModel.ts';
import { NETWORK_SCENE, NetworkScene } from './NetworkScene.ts';

/** The Phaser game that draws one network into `parent` (which must have a real size). */
export function createGame(parent: HTMLElement, vm: NetworkViewModel): Phaser.Game {
  const game = new Phaser.Game({
    type: Phaser.WEBGL,
    parent,
    backgroundColor: '#0b1020',
    scale: { mode: Phaser.Scale.RESIZE, width: '100%', height: '100%' },
    render: { antialiasGL: false, powerPreference: 'high-performance' },
    banner: false,
    scene: [],
  });
  game.scene.add(NETWORK_SCENE, NetworkScene, true, vm);
  return game;
}
