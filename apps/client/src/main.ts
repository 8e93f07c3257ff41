import { startApp } from './app.ts';
import './styles.css';

const root = document.getElementById('app');
if (root) startApp(root);
